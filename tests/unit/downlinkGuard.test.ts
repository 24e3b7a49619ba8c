import { describe, expect, it } from 'vitest';
import { DownlinkGuard } from '../../client/src/room/DownlinkGuard.js';

const starved = [{ layer: 0, quality: 'bad' as const }];

/** Paused, resumed on frames, and failed again soon: the back-off now asks four steady seconds of proof. */
function afterFailedResume(): DownlinkGuard {
  const guard = new DownlinkGuard();
  for (let s = 0; s < 3; s++) guard.observe(starved, ['good']);
  guard.observe([], ['good'], [{ frames: 5 }]);
  expect(guard.observe([], ['good'], [{ frames: 5 }])).toBe(false);
  guard.observe(starved, ['good']);
  expect(guard.observe(starved, ['good'])).toBe(true);
  return guard;
}

/** Seconds (1-based) at which the guard resumed, feeding each second's held-back frames and the SFU's estimate. */
function resumedAt(guard: DownlinkGuard, seconds: { frames: number; kbit?: number; audio?: 'good' | 'bad' }[]): number[] {
  const at: number[] = [];
  seconds.forEach(({ frames, kbit, audio = 'good' }, i) => {
    if (kbit !== undefined) guard.sfuEstimate(kbit);
    if (guard.observe([], [audio], [{ frames }]) === false) at.push(i + 1);
  });
  return at;
}

describe('downlink guard after a dark spell', () => {
  it('resumes on the second steady second when frames come back after seconds without any (bench S4 after the clear)', () => {
    const guard = afterFailedResume();
    // 20 s at 30 kbit/s: not a frame, the sound breaking up, and no estimate reaches us (the signalling socket is stuck too).
    const throttle = Array.from({ length: 20 }, () => ({ frames: 0, audio: 'bad' as const }));
    // The clear: layer 0:0's 4–5 frames a second, the SFU's estimate app-limited at 118 kbit/s.
    const cleared = [5, 4, 5, 4, 5].map((frames) => ({ frames, kbit: 118 }));
    expect(resumedAt(guard, [...throttle, ...cleared])).toEqual([22]);
    expect(guard.resumedOnEstimate).toBe(true); // evidence: the layer governor aims at the top layer
  });

  it('keeps the long proof on a wide but lossy link, whose lowest layer never went dark', () => {
    const guard = afterFailedResume();
    expect(
      resumedAt(
        guard,
        [5, 4, 5, 4, 5].map((frames) => ({ frames, kbit: 230 })),
      ),
    ).toEqual([4]);
  });

  it('keeps the long proof after a short dark spell or a gap in the frames', () => {
    const short = afterFailedResume();
    expect(
      resumedAt(
        short,
        [0, 0, 0, 5, 4, 5, 4].map((frames) => ({ frames, audio: 'bad' as const })),
      ),
    ).toEqual([7]);
    // The frames must keep moving after the dark spell: a second of one frame ends it.
    const broken = afterFailedResume();
    const frames = [...Array.from({ length: 8 }, () => 0), 5, 1, 5, 5, 5, 5];
    expect(
      resumedAt(
        broken,
        frames.map((f) => ({ frames: f, audio: 'bad' as const })),
      ),
    ).toEqual([14]);
  });

  it('shows held-back video on its first moving second after a long dark spell, not on a frame now and then', () => {
    const guard = afterFailedResume();
    const second = (frames: number) => {
      guard.observe([], ['bad'], [{ frames }]);
      return guard.shows({ frames });
    };
    // A short dark spell: two frames in a second are not yet video worth showing.
    expect([0, 0, 2, 0].map(second)).toEqual([false, false, false, false]);
    // The link carried nothing for seconds; layer 0:0's first two frames in a second are the path reopened.
    for (let s = 0; s < 6; s++) second(0);
    expect([2, 3, 1, 2].map(second)).toEqual([true, true, false, false]);
  });

  it('does not take frames for a reopened path while a fresh estimate still reads thin: the estimate climb decides', () => {
    const guard = afterFailedResume();
    const throttle = Array.from({ length: 20 }, () => ({ frames: 0, kbit: 30 }));
    // Frames move while the estimate still reads thin; the estimate's own climb (three times the mark) resumes.
    expect(resumedAt(guard, [...throttle, { frames: 5, kbit: 30 }, { frames: 5, kbit: 83 }, { frames: 5, kbit: 332 }])).toEqual([23]);
  });

  it("keeps a starved sender's video held back while our own estimate stays wide: its frames decide, not the estimate", () => {
    const guard = new DownlinkGuard();
    const second = (frames: number) => {
      guard.sfuEstimate(1300);
      return guard.paused ? guard.observe([], ['good'], [{ frames }]) : guard.observe([{ layer: 2, quality: 'good', frames }], ['good']);
    };
    for (const frames of [10, 10, 10, 0, 0]) second(frames);
    expect(guard.upstream).toBe(true);
    // Bench S4 from the village: 20 s without a frame from its camera, the mediator's estimate wide all along.
    const during = Array.from({ length: 20 }, () => second(0));
    expect(during.filter((r) => r === false)).toEqual([]);
    expect(second(5)).toBe(false); // its first steady second
  });
});
