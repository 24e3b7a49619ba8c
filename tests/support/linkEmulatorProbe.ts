/**
 * Measures a link from inside the village namespace (run with `ip netns exec`),
 * against the echo and sink that linkEmulator tests run on the host side.
 * Prints one JSON line and exits.
 *   rtt  <host> <port> <count> <intervalMs>   UDP echo: round trips of the answered probes, how many were lost
 *   blast <host> <port> <kbit> <seconds>      sends 1000-byte UDP datagrams at the given rate
 *   sink <port> <seconds>                     counts UDP bytes received
 *   tcp <host> <port>                         one TCP round trip through an echo
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const [mode, ...args] = process.argv.slice(2);
const print = (result: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(result)}\n`);

async function rtt(host: string, port: number, count: number, intervalMs: number): Promise<void> {
  const socket = createSocket('udp4');
  const sent = new Map<number, number>();
  const rtts: number[] = [];
  socket.on('message', (message) => {
    const seq = message.readUInt32BE(0);
    const at = sent.get(seq);
    if (at !== undefined) rtts.push(performance.now() - at);
    sent.delete(seq);
  });
  for (let seq = 0; seq < count; seq++) {
    const probe = Buffer.alloc(64);
    probe.writeUInt32BE(seq, 0);
    sent.set(seq, performance.now());
    socket.send(probe, port, host);
    await sleep(intervalMs);
  }
  await sleep(1_000);
  socket.close();
  print({ rtts, lost: count - rtts.length });
}

async function blast(host: string, port: number, kbit: number, seconds: number): Promise<void> {
  const socket = createSocket('udp4');
  const datagram = Buffer.alloc(1000);
  const perMs = kbit / 8 / 1000;
  const start = performance.now();
  let sent = 0;
  while (performance.now() - start < seconds * 1000) {
    while (sent < (performance.now() - start) * perMs) {
      socket.send(datagram, port, host);
      sent += 1;
    }
    await sleep(5);
  }
  socket.close();
  print({ sent });
}

async function sink(port: number, seconds: number): Promise<void> {
  const socket = createSocket('udp4');
  let bytes = 0;
  let first = 0;
  let last = 0;
  socket.on('message', (message) => {
    const now = performance.now();
    if (!first) first = now;
    last = now;
    bytes += message.length;
  });
  await new Promise<void>((resolve) => socket.bind(port, resolve));
  print({ listening: true });
  await sleep(seconds * 1000);
  socket.close();
  print({ bytes, spanMs: last - first });
}

async function tcp(host: string, port: number): Promise<void> {
  const start = performance.now();
  const socket = connect(port, host);
  socket.setTimeout(5_000, () => socket.destroy(new Error('timeout')));
  const answer = await new Promise<string>((resolve, reject) => {
    socket.once('connect', () => socket.write('村'));
    socket.once('data', (data) => resolve(data.toString()));
    socket.once('error', reject);
  });
  socket.destroy();
  print({ answer, ms: performance.now() - start });
}

const n = args.map(Number);
if (mode === 'rtt') await rtt(args[0] as string, n[1] as number, n[2] as number, n[3] as number);
else if (mode === 'blast') await blast(args[0] as string, n[1] as number, n[2] as number, n[3] as number);
else if (mode === 'sink') await sink(n[0] as number, n[1] as number);
else if (mode === 'tcp') await tcp(args[0] as string, n[1] as number);
else throw new Error(`unknown mode ${mode}`);
