import { describe, expect, it } from 'vitest';
import { createImpairedPipe, type PipeClock } from '../support/linkEmulatorPipe.js';

/** A manual clock: timers fire when the test advances time. */
function fakeClock(randoms: number[] = []) {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const clock: PipeClock = {
    now: () => now,
    random: () => randoms.shift() ?? 0.5,
    after(ms, fn) {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > end) break;
      timers.shift();
      now = next.at;
      next.fn();
    }
    now = end;
  };
  return { clock, advance, now: () => now };
}

const udp = (size = 100) => {
  const packet = new Uint8Array(size);
  packet[0] = 0x45;
  packet[9] = 17;
  return packet;
};
const tcp = () => {
  const packet = udp();
  packet[9] = 6;
  return packet;
};

/** A pipe on the manual clock that notes when each packet arrives. */
function timedPipe() {
  const { clock, advance, now } = fakeClock();
  const arrivals: number[] = [];
  const pipe = createImpairedPipe(() => arrivals.push(now()), clock);
  return { pipe, advance, arrivals };
}

describe('impaired link direction', () => {
  it('passes packets straight through when unimpaired', () => {
    const out: Uint8Array[] = [];
    const pipe = createImpairedPipe((p) => out.push(p), fakeClock().clock);
    pipe.push(udp());
    expect(out).toHaveLength(1);
  });

  it('delays by delay plus jitter and never reorders', () => {
    const { clock, advance, now } = fakeClock([1, 0, 0.5]);
    const arrivals: number[] = [];
    const pipe = createImpairedPipe(() => arrivals.push(now()), clock);
    pipe.set({ delayMs: 75, jitterMs: 20 });
    pipe.push(udp()); // 75 + 20
    pipe.push(udp()); // 75 + 0, held behind the first
    advance(10);
    pipe.push(udp()); // 10 + 75 + 10
    advance(200);
    expect(arrivals).toEqual([95, 95, 95]);
  });

  it('drops the configured share, and UDP only when UDP is blocked', () => {
    const out: Uint8Array[] = [];
    const pipe = createImpairedPipe((p) => out.push(p), fakeClock([0.04, 0.06, 0.5]).clock);
    pipe.set({ lossPercent: 5 });
    pipe.push(udp());
    pipe.push(udp());
    pipe.push(udp());
    expect(out).toHaveLength(2);
    pipe.set({ blockUdp: true });
    pipe.push(udp());
    pipe.push(tcp());
    expect(out).toHaveLength(3);
    expect(pipe.stats()).toMatchObject({ received: 5, delivered: 3, droppedLoss: 1, droppedBlocked: 1 });
  });

  it('serializes at the rate cap and drops the tail when the queue is full', () => {
    const { pipe, advance, arrivals } = timedPipe();
    // 80 kbit/s = 10 bytes per ms; a 1000-byte packet takes 100 ms. Queue: 500 ms = 5000 bytes.
    pipe.set({ rateKbit: 80, queueMs: 500 });
    for (let i = 0; i < 8; i++) pipe.push(udp(1000));
    advance(2000);
    expect(arrivals).toEqual([100, 200, 300, 400, 500]);
    expect(pipe.stats().droppedQueue).toBe(3);
  });

  it('serves what is still queued at the new rate when the rate changes, as a real router does', () => {
    const { pipe, advance, arrivals } = timedPipe();
    pipe.set({ rateKbit: 80, queueMs: 500 });
    for (let i = 0; i < 5; i++) pipe.push(udp(1000));
    advance(150);
    // 800 kbit/s = 100 bytes per ms: the half-sent second packet needs 5 ms more, each later one 10 ms.
    pipe.set({ rateKbit: 800, delayMs: 20 });
    pipe.push(udp(1000));
    advance(1000);
    expect(arrivals).toEqual([100, 175, 185, 195, 205, 215]);
  });

  it('lets the whole backlog go at once when the link is cleared', () => {
    const { pipe, advance, arrivals } = timedPipe();
    pipe.set({ rateKbit: 80, queueMs: 500, delayMs: 75 });
    for (let i = 0; i < 5; i++) pipe.push(udp(1000));
    advance(150);
    pipe.set({});
    advance(1000);
    // The first packet is already on the wire (it left at 100); the rest leave at 150 and never overtake it.
    expect(arrivals).toEqual([175, 175, 175, 175, 175]);
  });
});
