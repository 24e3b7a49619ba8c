import { describe, expect, it } from 'vitest';
import { DownlinkController, type DownlinkMedia } from '../../client/src/room/DownlinkController.js';
import type { RemoteMedia, VideoMode } from '../../client/src/room/MediaSession.js';
import type { ConsumerStats } from '../../client/src/room/StatsMonitor.js';

/** A MediaSession stand-in that takes every request at once and records it. */
class FakeMedia implements DownlinkMedia {
  readonly modes = new Map<string, VideoMode>();
  readonly shown = new Map<string, boolean>();
  readonly calls: string[] = [];
  videoMode(consumerId: string): VideoMode | undefined {
    return this.modes.get(consumerId) ?? 'on';
  }
  async setVideoMode(consumerId: string, mode: VideoMode, spatialLayer: number): Promise<void> {
    this.calls.push(`${mode} ${consumerId} ${spatialLayer}`);
    this.modes.set(consumerId, mode);
  }
  showHeld(consumerId: string, shown: boolean): void {
    this.shown.set(consumerId, shown);
  }
  async preferLayer(consumerId: string, spatialLayer: number): Promise<void> {
    this.calls.push(`layer ${consumerId} ${spatialLayer}`);
  }
}

const remote = (consumerId: string, kind: 'audio' | 'video'): RemoteMedia =>
  ({ consumerId, seatId: 's1', kind, source: kind === 'audio' ? 'mic' : 'camera', producerPaused: false, paused: false }) as RemoteMedia;
const sample = (quality: ConsumerStats['quality'], newFrames: number): ConsumerStats =>
  ({ quality, newFrames, framesDecoded: 100, lossPercent: 0, jitterBufferMs: undefined }) as ConsumerStats;

function setup(audioOnly = false) {
  const media = new FakeMedia();
  const streams = [remote('v1', 'video'), remote('a1', 'audio')];
  const controller = new DownlinkController({ media: () => media, remote: () => streams, audioOnly: () => audioOnly });
  const second = (video: ConsumerStats) =>
    controller.observe(
      new Map([
        ['v1', video],
        ['a1', sample('good', 0)],
      ]),
    );
  return { media, controller, second };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('downlink controller', () => {
  it('steps a lossy video down a layer, then holds it back when no frame arrives at all', async () => {
    const { media, second } = setup();
    expect(second(sample('bad', 10)).layers).toEqual({ v1: 2 });
    expect(second(sample('bad', 10)).layers).toEqual({ v1: 1 });
    await flush();
    expect(media.calls).toEqual(['layer v1 1']);
    // Starved: frames shown before, none now (the SFU forwards no layer), three seconds in a row.
    expect(second(sample('good', 0)).hidden).toBe(false);
    expect(second(sample('good', 0)).hidden).toBe(false);
    expect(second(sample('good', 0)).hidden).toBe(true);
    await flush();
    expect(media.modes.get('v1')).toBe('thin');
  });

  it('shows a held-back video while its frames arrive, and resumes at the top layer after two steady seconds', async () => {
    const { media, second } = setup();
    for (let s = 0; s < 3; s++) second(sample('good', 0));
    await flush();
    expect(media.modes.get('v1')).toBe('thin');
    expect(second(sample('good', 4)).hidden).toBe(false); // frames arrive: on screen, still held back
    expect(media.shown.get('v1')).toBe(true);
    const out = second(sample('good', 4));
    await flush();
    expect(out.layers).toEqual({ v1: 2 });
    expect(media.modes.get('v1')).toBe('on');
    expect(media.calls.at(-1)).toBe('on v1 2');
  });

  it('holds no video back when the person chose audio only, and turns every video off', async () => {
    const { media, second } = setup(true);
    for (let s = 0; s < 5; s++) expect(second(sample('good', 0)).hidden).toBe(false);
    await flush();
    expect(media.modes.get('v1')).toBe('off');
    expect(media.calls).not.toContain('thin v1 2');
  });
});
