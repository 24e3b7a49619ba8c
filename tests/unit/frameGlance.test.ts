import { describe, expect, it, vi } from 'vitest';
import { DownlinkController, type DownlinkMedia } from '../../client/src/room/DownlinkController.js';
import { DownlinkGuard } from '../../client/src/room/DownlinkGuard.js';
import { FrameClock } from '../../client/src/room/FrameClock.js';
import type { RemoteMedia, VideoMode } from '../../client/src/room/MediaSession.js';
import { type ConsumerStats, StatsMonitor } from '../../client/src/room/StatsMonitor.js';

describe('frame clock', () => {
  it('dates each new frame when it is seen, counts the last second, and starts afresh on a new stream', () => {
    const clock = new FrameClock();
    clock.note('v', 0, 0);
    expect(clock.sinceFrame('v', 500)).toBeUndefined(); // still starting: not frozen
    clock.note('v', 3, 1000);
    clock.note('v', 5, 1250);
    clock.note('v', 5, 1500);
    expect(clock.sinceFrame('v', 1500)).toBe(250);
    expect(clock.lastSecond('v', 1500)).toBe(5);
    expect(clock.lastSecond('v', 2100)).toBe(2); // the frames seen at 1000 are more than a second old
    clock.note('v', 2, 2200); // fewer than before: a new consumer, seen within a second of its start
    expect(clock.sinceFrame('v', 2200)).toBe(0);
    expect(clock.lastSecond('v', 2200)).toBe(2); // its frames so far are this second's
    expect(clock.lastSecond('v', 3200)).toBe(0);
    clock.note('w', 3, 2200); // first seen with frames decoded already
    expect(clock.lastSecond('w', 2300)).toBe(3);
    clock.forget(new Set());
    expect(clock.sinceFrame('v', 2300)).toBeUndefined();
  });
});

describe('downlink guard between seconds', () => {
  it('holds a frozen picture back after one dark second, once every video went 1.25 s without a frame', () => {
    const guard = new DownlinkGuard();
    guard.observe([{ layer: 0, quality: 'good', frames: 10 }], ['good']);
    expect(guard.atRisk).toBe(false);
    expect(guard.glance([{ sinceFrameMs: 1500 }], [])).toBeUndefined(); // no dark second yet
    guard.observe([{ layer: 0, quality: 'good', frames: 0 }], ['good']);
    expect(guard.atRisk).toBe(true);
    expect(guard.glance([{ sinceFrameMs: 1000 }], [])).toBeUndefined();
    expect(guard.glance([{ sinceFrameMs: 1500 }, { sinceFrameMs: 200 }], [])).toBeUndefined(); // one still moves
    expect(guard.glance([{ sinceFrameMs: 1500 }, { sinceFrameMs: undefined }], [])).toBeUndefined(); // one still starting
    expect(guard.glance([{ sinceFrameMs: 1250 }], [])).toBe(true);
    expect(guard.paused).toBe(true);
  });

  it('marks the path reopened at the first glance with frames moving after a long dark spell, not after a short one', () => {
    const guard = new DownlinkGuard();
    for (const frames of [10, 0, 0]) guard.observe([{ layer: 0, quality: 'good', frames }], ['good']);
    expect(guard.paused).toBe(true);
    guard.observe([], ['bad'], [{ frames: 0 }]);
    guard.glance([], [{ frames: 2 }]);
    expect(guard.shows({ frames: 2 })).toBe(false); // one dark second: two frames are not yet video worth showing
    for (let s = 0; s < 6; s++) guard.observe([], ['bad'], [{ frames: 0 }]);
    expect(guard.shows({ frames: 2 })).toBe(false);
    expect(guard.glance([], [{ frames: 1 }])).toBeUndefined();
    expect(guard.shows({ frames: 2 })).toBe(false);
    guard.glance([], [{ frames: 2 }]);
    expect(guard.shows({ frames: 2 })).toBe(true);
    expect(guard.paused).toBe(true); // on screen, still held back: resuming takes the seconds' proof
  });
});

class FakeMedia implements DownlinkMedia {
  readonly modes = new Map<string, VideoMode>();
  readonly shown = new Map<string, boolean>();
  videoMode(consumerId: string): VideoMode | undefined {
    return this.modes.get(consumerId) ?? 'on';
  }
  async setVideoMode(consumerId: string, mode: VideoMode): Promise<void> {
    this.modes.set(consumerId, mode);
  }
  showHeld(consumerId: string, shown: boolean): void {
    this.shown.set(consumerId, shown);
  }
  async preferLayer(): Promise<void> {}
}

function setup(audioOnly = false) {
  const media = new FakeMedia();
  const streams = [
    { consumerId: 'v1', seatId: 's1', kind: 'video', source: 'camera', producerPaused: false, paused: false },
    { consumerId: 'a1', seatId: 's1', kind: 'audio', source: 'mic', producerPaused: false, paused: false },
  ] as RemoteMedia[];
  let now = 0;
  let decoded = 100;
  const controller = new DownlinkController({ media: () => media, remote: () => streams, audioOnly: () => audioOnly }, () => now);
  const stats = (newFrames: number): ConsumerStats =>
    ({
      quality: 'good',
      layerQuality: 'good',
      newFrames,
      framesDecoded: decoded,
      lossPercent: 0,
      jitterBufferMs: undefined,
    }) as ConsumerStats;
  /** The stats loop's second at `at` ms, with the video's new frames since the last. */
  const second = (at: number, newFrames: number) => {
    now = at;
    decoded += newFrames;
    return controller.observe(new Map([['v1', stats(newFrames)]]));
  };
  /** A glance at `at` ms, with the video's new frames since the last reading. */
  const glance = (at: number, newFrames: number) => {
    now = at;
    decoded += newFrames;
    return controller.glance(new Map([['v1', decoded]]));
  };
  return { media, controller, second, glance };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('downlink controller glances', () => {
  it('puts the placeholder up a quarter second after a dark second, not at the next second', async () => {
    const { media, controller, second, glance } = setup();
    expect(second(0, 10).hidden).toBe(false);
    expect(controller.glancing).toBe(false); // all moves: no stats calls between seconds
    expect(second(1000, 0).hidden).toBe(false);
    expect(controller.glancing).toBe(true);
    expect(glance(1000 + 125, 0)).toBeUndefined();
    expect(glance(1250, 0)).toBe(true);
    await flush();
    expect(media.modes.get('v1')).toBe('thin');
    expect(glance(1500, 0)).toBeUndefined(); // said once
  });

  it('reads no glance for a person who chose audio only', () => {
    const { controller, second, glance } = setup(true);
    second(0, 10);
    second(1000, 0);
    expect(controller.glancing).toBe(false);
    expect(glance(1250, 0)).toBeUndefined();
  });

  it('shows video again at the first glance with frames moving after a long dark spell (bench S4)', async () => {
    const { media, second, glance } = setup();
    for (const [s, frames] of [10, 0, 0].entries()) second(s * 1000, frames);
    expect(second(3000, 0).hidden).toBe(true);
    for (let s = 4; s < 12; s++) expect(second(s * 1000, 0).hidden).toBe(true);
    expect(glance(11_250, 1)).toBeUndefined();
    expect(glance(11_500, 1)).toBe(false); // two frames within the second: the path reopened
    expect(media.shown.get('v1')).toBe(true);
    expect(glance(11_750, 1)).toBeUndefined(); // said once
    // The second's own count caught one frame, the glances three more within it: no flicker back to the placeholder.
    expect(second(12_000, 1).hidden).toBe(false);
  });
});

describe('stats monitor glances', () => {
  it('reads only the named videos between seconds, and only while a video is at risk', async () => {
    vi.useFakeTimers();
    try {
      const read: string[] = [];
      const glanced: Map<string, number>[] = [];
      let atRisk = false;
      const report = (framesDecoded: number) => new Map([['in', { type: 'inbound-rtp', framesDecoded }]]) as unknown as RTCStatsReport;
      const monitor = new StatsMonitor(
        {
          consumerIds: () => ['v1', 'a1'],
          stats: (id) => {
            read.push(id);
            return Promise.resolve(report(id === 'v1' ? 42 : 0));
          },
        },
        () => undefined,
        { everyMs: 250, when: () => atRisk, ids: () => ['v1'], onFrames: (frames) => glanced.push(frames) },
      );
      monitor.start();
      await vi.advanceTimersByTimeAsync(500);
      expect(read).toEqual([]); // nothing at risk: no stats calls between seconds
      atRisk = true;
      await vi.advanceTimersByTimeAsync(250);
      expect(read).toEqual(['v1']);
      expect(glanced).toEqual([new Map([['v1', 42]])]);
      await vi.advanceTimersByTimeAsync(250); // the second's sample reads everything, and glances go on
      expect(read).toEqual(['v1', 'v1', 'a1', 'v1']);
      monitor.stop();
      await vi.advanceTimersByTimeAsync(1000);
      expect(glanced).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
