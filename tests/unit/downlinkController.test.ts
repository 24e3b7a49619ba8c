import { describe, expect, it } from 'vitest';
import { DownlinkController, type DownlinkMedia } from '../../client/src/room/DownlinkController.js';
import { resumeKbit } from '../../client/src/room/DownlinkGuard.js';
import type { RemoteMedia, VideoMode } from '../../client/src/room/MediaSession.js';
import type { ConsumerStats } from '../../client/src/room/StatsMonitor.js';
import { ThinLinkCap, thinTemporal, topTemporal } from '../../client/src/room/ThinLinkCap.js';

/** A MediaSession stand-in that takes every request at once and records it. */
class FakeMedia implements DownlinkMedia {
  readonly modes = new Map<string, VideoMode>();
  readonly shown = new Map<string, boolean>();
  readonly calls: string[] = [];
  videoMode(consumerId: string): VideoMode | undefined {
    return this.modes.get(consumerId) ?? 'on';
  }
  async setVideoMode(consumerId: string, mode: VideoMode, spatialLayer: number, temporalLayer: number): Promise<void> {
    this.calls.push(`${mode} ${consumerId} ${spatialLayer}:${temporalLayer}`);
    this.modes.set(consumerId, mode);
  }
  showHeld(consumerId: string, shown: boolean): void {
    this.shown.set(consumerId, shown);
  }
  async preferLayer(consumerId: string, spatialLayer: number, temporalLayer: number): Promise<void> {
    this.calls.push(`layer ${consumerId} ${spatialLayer}:${temporalLayer}`);
  }
}

const remote = (consumerId: string, kind: 'audio' | 'video'): RemoteMedia =>
  ({ consumerId, seatId: 's1', kind, source: kind === 'audio' ? 'mic' : 'camera', producerPaused: false, paused: false }) as RemoteMedia;
const sample = (quality: ConsumerStats['quality'], newFrames: number): ConsumerStats =>
  ({ quality, layerQuality: quality, newFrames, framesDecoded: 100, lossPercent: 0, jitterBufferMs: undefined }) as ConsumerStats;

function setup(audioOnly = false) {
  const media = new FakeMedia();
  const streams = [remote('v1', 'video'), remote('a1', 'audio')];
  // Each sample a second after the one before, as the stats loop takes them.
  let now = 0;
  const controller = new DownlinkController({ media: () => media, remote: () => streams, audioOnly: () => audioOnly }, () => now);
  const second = (video: ConsumerStats) => {
    now += 1000;
    return controller.observe(
      new Map([
        ['v1', video],
        ['a1', sample('good', 0)],
      ]),
    );
  };
  /** One second with the SFU's estimate (kbit/s) and the video's new frames. */
  const withEstimate = (kbit: number, frames = 10) => {
    controller.sfuEstimate(kbit);
    return second(sample('good', frames));
  };
  return { media, controller, second, withEstimate };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('downlink controller', () => {
  it('steps layers on loss and round trip only: a deep jitter buffer (a backlog draining) keeps the layer', () => {
    const { second } = setup();
    const drained = { ...sample('poor', 20), layerQuality: 'good' as const };
    for (let s = 0; s < 4; s++) expect(second(drained).layers).toEqual({ v1: 2 });
    expect(second({ ...sample('poor', 20), layerQuality: 'bad' as const }).layers).toEqual({ v1: 2 });
    expect(second({ ...sample('poor', 20), layerQuality: 'bad' as const }).layers).toEqual({ v1: 1 });
  });

  it('steps a lossy video down a layer, then holds it back when no frame arrives at all', async () => {
    const { media, second } = setup();
    expect(second(sample('bad', 10)).layers).toEqual({ v1: 2 });
    expect(second(sample('bad', 10)).layers).toEqual({ v1: 1 });
    await flush();
    expect(media.calls).toEqual(['layer v1 2:1', 'layer v1 1:1']); // capped from the start (no estimate yet)
    // Starved: frames shown before, none now (the SFU forwards no layer), two seconds in a row.
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
    expect(media.calls.at(-1)).toBe('on v1 2:2');
  });

  it("holds a video back with every layer while the sender's link starves and ours is wide, and shows it on its first steady second", async () => {
    const { media, withEstimate } = setup();
    // Our downlink is wide before the sender's frames stop (the cap lifts on it), then nothing for two seconds.
    for (const frames of [10, 10, 10, 0, 0]) withEstimate(1300, frames);
    await flush();
    // Not 0:0: the sender's few frames all come through (the cap is lifted on a wide estimate).
    expect(media.modes.get('v1')).toBe('held');
    expect(media.calls.at(-1)).toBe(`held v1 2:${topTemporal}`);
    expect(withEstimate(1300, 1).hidden).toBe(true);
    expect(media.shown.get('v1')).toBe(false);
    expect(withEstimate(1300, 6).hidden).toBe(false);
    await flush();
    expect(media.modes.get('v1')).toBe('on');
  });

  it('holds no video back when the person chose audio only, and turns every video off', async () => {
    const { media, second } = setup(true);
    for (let s = 0; s < 5; s++) expect(second(sample('good', 0)).hidden).toBe(false);
    await flush();
    expect(media.modes.get('v1')).toBe('off');
    expect(media.calls.filter((c) => c.startsWith('thin'))).toEqual([]);
  });

  it('caps the temporal layer while the SFU estimate is below the lowest layer and sound, and lifts it when it fits', async () => {
    const { media, withEstimate } = setup();
    withEstimate(64);
    await flush();
    expect(media.calls).toEqual(['layer v1 2:1']); // capped from the start
    withEstimate(resumeKbit);
    withEstimate(resumeKbit);
    await flush();
    expect(media.calls).toEqual(['layer v1 2:1']); // two that fit are not enough
    withEstimate(200);
    await flush();
    expect(media.calls).toEqual(['layer v1 2:1', 'layer v1 2:2']);
    withEstimate(70);
    await flush();
    expect(media.calls).toHaveLength(2); // one thin estimate is not yet a thin link
    withEstimate(64);
    await flush();
    // A thin link, not merely the start: the lowest spatial layer too, or mediasoup takes 0:2 below the preferred 2:1.
    expect(media.calls).toEqual(['layer v1 2:1', 'layer v1 2:2', 'layer v1 0:1']);
    for (let s = 0; s < 3; s++) withEstimate(200);
    await flush();
    expect(media.calls.at(-1)).toBe('layer v1 2:2');
  });

  it('after a thin spell, brings video back straight from layer 0:0, uncapped, without pausing the consumer', async () => {
    const { media, withEstimate } = setup();
    // Bench S4: 20 s at 30 kbit/s, held back all along.
    for (let s = 0; s < 14; s++) withEstimate(50, 0);
    await flush();
    expect(media.modes.get('v1')).toBe('thin');
    // Bench S4 after the clear: the estimate reads 70, then the SFU's climb reaches 210 while layer 0:0's frames arrive.
    withEstimate(70, 5);
    withEstimate(210, 5);
    await flush();
    // No pause on the way: layer 0:0 keeps flowing while mediasoup climbs (the SFU releases its hold when needed).
    expect(media.calls.filter((c) => c.startsWith('off'))).toEqual([]);
    expect(media.calls.at(-1)).toBe(`on v1 2:${topTemporal}`);
    expect(media.modes.get('v1')).toBe('on');
  });

  it('keeps guarding a video whose consumer is still paused on its way back on (its resume held up on the link)', async () => {
    const { media, second } = setup();
    second(sample('good', 10));
    media.modes.set('v1', 'off'); // a renew's pause went through; its resume has not
    const hidden = [0, 0].map(() => second(sample('good', 0)).hidden);
    expect(hidden).toEqual([false, true]); // no frame for two seconds: the placeholder, not a frozen frame
  });

  it('brings video back without a pause after a short hold (S1), and lifts the cap on a cleared estimate', async () => {
    const { media, second, withEstimate } = setup();
    for (let s = 0; s < 3; s++) second(sample('good', 0));
    await flush();
    expect(media.modes.get('v1')).toBe('thin');
    for (let s = 0; s < 2; s++) withEstimate(200, 5);
    await flush();
    // Bench S1: a pause on the way back froze the picture 1.7 s; a hold of a few seconds leaves mediasoup's hold alone.
    // Two estimates that fit would not lift the cap yet (three do); a resume on evidence at twice the mark does.
    expect(media.calls.filter((c) => c.startsWith('off'))).toEqual([]);
    expect(media.calls.at(-1)).toBe(`on v1 2:${topTemporal}`);
  });

  it('resumes a held-back video capped while the link is still thin (bench S3: 0:2 overflowed beside the sound)', async () => {
    const { media, withEstimate } = setup();
    for (let s = 0; s < 3; s++) withEstimate(50, 0);
    await flush();
    expect(media.modes.get('v1')).toBe('thin');
    for (let s = 0; s < 2; s++) withEstimate(64, 4);
    await flush();
    expect(media.calls.at(-1)).toBe('on v1 0:1');
    expect(media.calls.filter((c) => c.startsWith('off'))).toEqual([]); // thin: no pause on the way back
    withEstimate(64, 10);
    await flush();
    expect(media.calls.at(-1)).toBe('on v1 0:1'); // already capped: no repeat request
  });
});

describe('temporal cap', () => {
  it('starts capped, caps after two thin estimates, lifts after three that fit, and lifts when estimates stop', () => {
    const cap = new ThinLinkCap();
    expect(cap.temporalLayer).toBe(thinTemporal); // until the estimate shows the link
    expect(cap.observe(resumeKbit)).toBeUndefined();
    expect(cap.observe(resumeKbit)).toBeUndefined();
    expect(cap.observe(resumeKbit)).toBe(topTemporal);
    expect(cap.observe(resumeKbit - 1)).toBeUndefined();
    expect(cap.observe(resumeKbit - 1)).toBe(thinTemporal);
    expect(cap.observe(resumeKbit)).toBeUndefined();
    expect(cap.observe(30)).toBeUndefined(); // a thin one breaks the run
    expect(cap.observe(resumeKbit)).toBeUndefined();
    expect(cap.observe(resumeKbit)).toBeUndefined();
    expect(cap.observe(resumeKbit)).toBe(topTemporal);
    cap.observe(40);
    cap.observe(40);
    expect(cap.temporalLayer).toBe(thinTemporal);
    for (let s = 0; s < 4; s++) expect(cap.observe(undefined)).toBeUndefined();
    expect(cap.observe(undefined)).toBe(topTemporal);
  });
});
