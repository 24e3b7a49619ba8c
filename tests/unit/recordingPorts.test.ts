import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { PortAllocator } from '../../recordings/index.js';

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

function bindUdp(port: number): Promise<void> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve());
  });
}

describe('PortAllocator', () => {
  // Other processes on this machine (mediasoup workers use 10000-59999 by default) may hold a port of
  // any range, so these tests assert invariants rather than exact port numbers.
  it('never hands out one pair twice, even to concurrent callers, and stops when the range is used up', async () => {
    const ports = new PortAllocator(23100, 23179);
    const pairs = [];
    for (;;) {
      const batch = await Promise.allSettled([1, 2, 3, 4, 5].map(() => ports.acquire()));
      const got = batch.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      pairs.push(...got);
      if (got.length < batch.length) break;
    }
    const rtps = pairs.map((p) => p.rtp);
    expect(new Set(rtps).size).toBe(rtps.length);
    expect(rtps.length).toBeGreaterThan(30);
    expect(rtps.length).toBeLessThanOrEqual(40);
    expect(pairs.every((p) => p.rtp % 2 === 0 && p.rtcp === p.rtp + 1 && p.rtp >= 23100 && p.rtcp <= 23179)).toBe(true);
    expect(ports.allocated).toBe(rtps.length);
    await expect(ports.acquire()).rejects.toThrow(/no free recording port pair/);
    ports.release(pairs[3]!);
    expect(ports.allocated).toBe(rtps.length - 1);
    expect((await ports.acquire()).rtp).toBe(pairs[3]!.rtp);
  });

  it('skips a pair whose RTCP port another process holds (seen in /proc/net/udp)', async () => {
    await bindUdp(23021);
    const ports = new PortAllocator(23020, 23023);
    const pair = await ports.acquire().catch(() => undefined);
    expect(pair?.rtp).not.toBe(23020);
  });

  it('skips a pair marked busy after a failed bind, and offers it again after the hold-off', async () => {
    const ports = new PortAllocator(23030, 23033, 50);
    const first = await ports.acquire();
    ports.markBusy(first);
    const second = await ports.acquire();
    expect(second.rtp).not.toBe(first.rtp);
    await expect(ports.acquire()).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 60));
    expect((await ports.acquire()).rtp).toBe(first.rtp);
  });

  it('refuses a range that holds no pair', () => {
    expect(() => new PortAllocator(23040, 23040)).toThrow(/at least one pair/);
  });
});
