import { readdir, readFile, readlink } from 'node:fs/promises';

/** Local UDP sockets on this host as port → socket inode, read from /proc/net/udp and udp6 (the kernel's own table). */
async function udpSockets(): Promise<{ port: number; inode: string }[]> {
  const sockets: { port: number; inode: string }[] = [];
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const hexPort = fields[1]?.split(':').at(-1);
      if (hexPort && fields[9]) sockets.push({ port: Number.parseInt(hexPort, 16), inode: fields[9] });
    }
  }
  return sockets;
}

export async function boundUdpPorts(): Promise<Set<number>> {
  return new Set((await udpSockets()).map((s) => s.port));
}

/**
 * The UDP ports a given process holds. Another process holding one of the
 * two ports must not count as ffmpeg having bound it: that is exactly the
 * failed-bind case the recorder retries.
 */
export async function udpPortsOfProcess(pid: number): Promise<Set<number>> {
  const inodes = new Set<string>();
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match?.[1]) inodes.add(match[1]);
  }
  return new Set((await udpSockets()).filter((s) => inodes.has(s.inode)).map((s) => s.port));
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
