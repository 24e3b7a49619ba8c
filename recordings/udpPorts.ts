import { readFile } from 'node:fs/promises';

/** Local UDP ports in use on this host, read from /proc/net/udp and udp6 (the kernel's own table). */
export async function boundUdpPorts(): Promise<Set<number>> {
  const ports = new Set<number>();
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      const hexPort = local?.split(':').at(-1);
      if (hexPort) ports.add(Number.parseInt(hexPort, 16));
    }
  }
  return ports;
}

export async function readEphemeralRange(): Promise<{ min: number; max: number } | undefined> {
  try {
    const [min, max] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/).map(Number);
    if (min !== undefined && max !== undefined && Number.isInteger(min) && Number.isInteger(max)) return { min, max };
  } catch {
    // Not Linux: nothing to check against.
  }
  return undefined;
}
