import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVillage, type Village } from '../support/village.js';

const probe = fileURLToPath(new URL('../support/linkEmulatorProbe.ts', import.meta.url));

/** Runs the probe inside the village namespace; resolves with its JSON lines. */
function inVillage(village: Village, args: (string | number)[], onLine: (line: Record<string, unknown>) => void = () => {}) {
  const child = spawn('ip', ['netns', 'exec', village.namespace, process.execPath, '--import', 'tsx', probe, ...args.map(String)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    for (const text of chunk.toString().split('\n').filter(Boolean)) {
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      onLine(line);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<Record<string, unknown>>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(lines.at(-1) ?? {}) : reject(new Error(`probe failed: ${stderr}`)))),
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

describe('userspace weak-link emulator (TUN devices, no netem)', () => {
  let village: Village;
  let echo: Socket;
  let echoPort: number;
  let tcpEcho: Server;
  let tcpPort: number;

  beforeAll(async () => {
    village = await createVillage();
    echo = createSocket('udp4');
    echo.on('message', (message, from) => echo.send(message, from.port, from.address));
    await new Promise<void>((resolve) => echo.bind(0, village.hostIp, resolve));
    echoPort = echo.address().port;
    tcpEcho = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => tcpEcho.listen(0, village.hostIp, resolve));
    tcpPort = (tcpEcho.address() as { port: number }).port;
  });
  afterAll(() => {
    echo?.close();
    tcpEcho?.close();
    village?.close();
  });

  it('delays each direction by its configured amount, with jitter on top', async () => {
    const clean = (await inVillage(village, ['rtt', village.hostIp, echoPort, 50, 20])) as { rtts: number[]; lost: number };
    expect(clean.lost).toBe(0);
    expect(median(clean.rtts)).toBeLessThan(10);

    // 150 ms round trip as 75 ms each way; 20 ms of jitter on the downlink.
    await village.impair({ up: { delayMs: 75 }, down: { delayMs: 75, jitterMs: 20 } });
    const slow = (await inVillage(village, ['rtt', village.hostIp, echoPort, 100, 20])) as { rtts: number[]; lost: number };
    expect(slow.lost).toBe(0);
    // Tolerance: +0..20 ms of jitter, +10 ms for timers and the thread pool; the slowest few of 100 may also
    // wait for a busy CPU (a loaded CI machine), so the bound is on the 95th percentile and the maximum is loose.
    expect(Math.min(...slow.rtts)).toBeGreaterThanOrEqual(149);
    const sorted = [...slow.rtts].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.95)]).toBeLessThan(150 + 20 + 10);
    expect(Math.max(...slow.rtts)).toBeLessThan(250);
    expect(median(slow.rtts)).toBeGreaterThan(152);
    expect(median(slow.rtts)).toBeLessThan(170);
  });

  it('loses the configured share of packets in each direction', async () => {
    await village.impair({ up: { lossPercent: 10 }, down: { lossPercent: 10 } });
    const count = 600;
    const result = (await inVillage(village, ['rtt', village.hostIp, echoPort, count, 5])) as { lost: number };
    // A probe survives only if both its trip and the echo do: 0.9 × 0.9 = 81 %. ±6 points is 3.4 standard deviations.
    const delivered = (count - result.lost) / count;
    expect(delivered).toBeGreaterThan(0.75);
    expect(delivered).toBeLessThan(0.87);
    const stats = await village.stats();
    expect(stats.up.droppedLoss / stats.up.received).toBeGreaterThan(0.06);
    expect(stats.down.droppedLoss / stats.down.received).toBeLessThan(0.14);
  });

  it('caps the uplink rate, dropping what overflows its queue', async () => {
    await village.impair({ up: { rateKbit: 300, queueMs: 200 }, down: {} });
    const sink = createSocket('udp4');
    let bytes = 0;
    let first = 0;
    let last = 0;
    sink.on('message', (message) => {
      last = performance.now();
      first ||= last;
      bytes += message.length;
    });
    await new Promise<void>((resolve) => sink.bind(0, village.hostIp, resolve));
    const before = await village.stats();
    await inVillage(village, ['blast', village.hostIp, sink.address().port, 600, 4]);
    await sleep(500);
    sink.close();
    // Payload rate: 1000 of every 1028 bytes on the wire are payload. Tolerance ±10 %.
    const kbit = (bytes * 8) / (last - first);
    expect(kbit).toBeGreaterThan(292 * 0.9);
    expect(kbit).toBeLessThan(292 * 1.1);
    const after = await village.stats();
    expect(after.up.droppedQueue - before.up.droppedQueue).toBeGreaterThan(100);
  });

  it('caps the downlink rate', async () => {
    await village.impair({ up: {}, down: { rateKbit: 100, queueMs: 300 } });
    const port = 47_000 + (process.pid % 1000);
    const blaster = createSocket('udp4');
    const sinkDone = inVillage(village, ['sink', port, 5], (line) => {
      if (!line.listening) return;
      // 300 kbit/s of 1000-byte datagrams for 3 s into a 100 kbit/s downlink.
      let sent = 0;
      const start = performance.now();
      const timer = setInterval(() => {
        const due = Math.floor(((performance.now() - start) * 300) / 8 / 1000);
        for (; sent < due; sent++) blaster.send(Buffer.alloc(1000), port, village.villageIp);
        if (performance.now() - start > 3000) clearInterval(timer);
      }, 5);
    });
    const result = (await sinkDone) as { bytes: number; spanMs: number };
    blaster.close();
    const kbit = (result.bytes * 8) / result.spanMs;
    expect(kbit).toBeGreaterThan(97 * 0.9);
    expect(kbit).toBeLessThan(97 * 1.1);
  });

  it('blocks UDP both ways while TCP still gets through', async () => {
    await village.restore();
    await village.blockUdp();
    const udp = (await inVillage(village, ['rtt', village.hostIp, echoPort, 20, 10])) as { lost: number };
    expect(udp.lost).toBe(20);
    const tcp = (await inVillage(village, ['tcp', village.hostIp, tcpPort])) as { answer: string };
    expect(tcp.answer).toBe('村');
    const stats = await village.stats();
    expect(stats.up.droppedBlocked).toBeGreaterThanOrEqual(20);
  });
});
