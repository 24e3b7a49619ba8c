import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DownlinkEstimate } from '../../server/media/DownlinkEstimate.js';
import { forwardedBelowAsked, releaseHeldDown, watchDowngrades } from '../../server/media/LayerHold.js';

/** Bytes the SFU sent the seat so far, growing at `perSecond` on the fake clock (a transport's byte counter). */
function sentBytes(perSecond: number): () => number {
  const from = Date.now();
  return () => Math.round((perSecond * (Date.now() - from)) / 1000);
}

/** Just enough of a mediasoup WebRtcTransport: its stats (with or without an estimate yet) and its close. */
function fakeTransport(id: string, bitrate: () => number | undefined, lossSent: () => number = () => 0, sent = sentBytes(30_000)) {
  const observer = new EventEmitter();
  const caps: number[] = [];
  const transport = {
    id,
    closed: false,
    observer,
    getStats: async () => [{ availableOutgoingBitrate: bitrate(), rtpPacketLossSent: lossSent(), bytesSent: sent() }],
    setMaxOutgoingBitrate: async (bps: number) => {
      caps.push(bps);
    },
  };
  return { transport: transport as unknown as types.WebRtcTransport, caps, close: () => observer.emit('close') };
}

/**
 * A village that wants the top layer, on a link the test moves (its estimate in bit/s, and its transport-cc loss),
 * on the fake clock: the estimates reported, and the key frames asked for its videos.
 */
function watchVillage(link: { bps: number; loss?: number }) {
  vi.useFakeTimers();
  const seen: number[] = [];
  const estimate = new DownlinkEstimate((_, kbit) => seen.push(kbit));
  const village = fakeTransport(
    't1',
    () => link.bps,
    () => link.loss ?? 0,
  );
  const asked = { keyFrames: 0 };
  estimate.watch('village', village.transport, {
    wantedKbit: () => 1417,
    keyFrames: async () => {
      asked.keyFrames++;
    },
  });
  return { estimate, village, seen, asked };
}

/** A village on a 31 kbit/s estimate that wants the top layer, after its first thin probe (at 100 kbit/s). */
async function afterThinProbe() {
  const link = { bps: 31_000 };
  const { estimate, village } = watchVillage(link);
  await vi.advanceTimersByTimeAsync(2000);
  expect(village.caps).toEqual([0, 100_000]);
  return { estimate, village, link };
}

describe('SFU downlink estimate', () => {
  afterEach(() => vi.useRealTimers());

  it('reports each seat’s receive-transport estimate once a second, in kbit/s, and forgets closed transports', async () => {
    vi.useFakeTimers();
    const seen: [string, number][] = [];
    const estimate = new DownlinkEstimate((seatId, kbit) => seen.push([seatId, kbit]));
    let village: number | undefined;
    const a = fakeTransport('t1', () => village);
    const b = fakeTransport('t2', () => 1_250_400);
    estimate.watch('village', a.transport, { wantedKbit: () => 0 });
    estimate.watch('office', b.transport);

    await vi.advanceTimersByTimeAsync(1000);
    // No transport-cc feedback yet for the village: nothing said rather than a made-up zero.
    expect(seen).toEqual([['office', 1250]]);

    village = 31_000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.slice(1)).toEqual([
      ['village', 31],
      ['office', 1250],
    ]);

    a.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.slice(3)).toEqual([['office', 1250]]);
    estimate.close();
    await vi.advanceTimersByTimeAsync(3000);
    expect(seen).toHaveLength(4);
    expect([...a.caps, ...b.caps]).toEqual([]); // no video wanted, or a wide link: never probed
  });

  it('probes a thin downlink every two seconds at three times its estimate, and lifts the cap when no video is wanted', async () => {
    vi.useFakeTimers();
    const estimate = new DownlinkEstimate(() => undefined);
    let bps = 31_000;
    let wanted = 1417;
    const village = fakeTransport('t1', () => bps);
    estimate.watch('village', village.transport, { wantedKbit: () => wanted });
    await vi.advanceTimersByTimeAsync(1000);
    expect(village.caps).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    // Uncapped, then capped at the probe's target: the drop in allocation is what makes libwebrtc probe.
    expect(village.caps).toEqual([0, 100_000]);
    bps = 40_000; // the link is still thin: the probe did not pay off, the next waits its turn
    await vi.advanceTimersByTimeAsync(1000);
    expect(village.caps).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(village.caps.slice(2)).toEqual([0, 120_000]);
    wanted = 0; // video held back by the person (audio only): nothing to probe for
    await vi.advanceTimersByTimeAsync(1000);
    expect(village.caps.at(-1)).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(village.caps).toHaveLength(5);
    estimate.close();
  });

  it('after a thin spell, climbs in probes at four times the estimate while each pays off, up to what the seat wants, then lifts the cap', async () => {
    const { estimate, village, link } = await afterThinProbe();
    // The link cleared: each probe paid off (at least 70 % of what it asked), so four times the estimate next, a second later.
    for (const [now, next] of [
      [95, 380],
      [340, 1360],
      [1300, 1417], // four times 1,300 is past what the seat wants: the last step asks for exactly that
    ]) {
      link.bps = (now as number) * 1000;
      await vi.advanceTimersByTimeAsync(1000);
      expect(village.caps.slice(-2)).toEqual([0, (next as number) * 1000]);
    }
    link.bps = 1_400_000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(village.caps.at(-1)).toBe(0);
    const count = village.caps.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(village.caps).toHaveLength(count);
    estimate.close();
  });

  it('keeps its climb through a moment when the seat wants no video (a consumer paused on its way back on)', async () => {
    vi.useFakeTimers();
    const estimate = new DownlinkEstimate(() => undefined);
    const link = { bps: 31_000, wanted: 1417 };
    const village = fakeTransport('t1', () => link.bps);
    estimate.watch('village', village.transport, { wantedKbit: () => link.wanted });
    await vi.advanceTimersByTimeAsync(2000);
    link.bps = 95_000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(village.caps.slice(-2)).toEqual([0, 380_000]);
    // Bench S4: the probe paid off (388 of 380) in the very second the village paused its video to bring it back on.
    link.bps = 388_000;
    link.wanted = 0;
    await vi.advanceTimersByTimeAsync(1000);
    expect(village.caps.at(-1)).toBe(0); // nothing wanted: no cap
    link.bps = 420_000;
    link.wanted = 1417;
    await vi.advanceTimersByTimeAsync(1000);
    // Wanted again: the climb goes on at four times the estimate (capped at what the seat wants), not ended at 420.
    expect(village.caps.slice(-2)).toEqual([0, 1_417_000]);
    estimate.close();
  });

  it('ends the climb after three more tries that do not pay off: a narrow link is then not probed again while it carries video', async () => {
    const { estimate, village, link } = await afterThinProbe();
    link.bps = 95_000;
    await vi.advanceTimersByTimeAsync(1000);
    link.bps = 200_000; // 200 of the 380 asked: the link is narrow (or the spell's backlog is still arriving)
    await vi.advanceTimersByTimeAsync(7000);
    // Three tries two seconds apart at twice the estimate, then the cap is lifted.
    expect(village.caps).toEqual([0, 100_000, 0, 380_000, 0, 400_000, 0, 400_000, 0, 400_000, 0]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(village.caps).toHaveLength(11);
    estimate.close();
  });

  it('probes every second once the estimate sat at its floor for eight seconds (a collapse), every two before', async () => {
    vi.useFakeTimers();
    const estimate = new DownlinkEstimate(() => undefined);
    const village = fakeTransport('t1', () => 30_000);
    estimate.watch('village', village.transport, { wantedKbit: () => 1417 });
    const probesIn = async (seconds: number) => {
      const before = village.caps.length;
      await vi.advanceTimersByTimeAsync(seconds * 1000);
      return (village.caps.length - before) / 2;
    };
    expect(await probesIn(8)).toBe(4); // seconds 2, 4, 6, 8
    expect(await probesIn(4)).toBe(4); // at the floor since second 1: a probe each second
    estimate.close();
  });

  it('counts a frozen estimate as a collapse: unreported, unprobed, then probed at once and every second when it moves thin', async () => {
    // The village's feedback stopped getting through: mediasoup's estimate and loss stay where they were (bench S4: 160).
    const link = { bps: 160_000, loss: 0.023 };
    const { estimate, village, seen, asked } = watchVillage(link);
    await vi.advanceTimersByTimeAsync(10_000);
    // Reported until it counted as frozen (three unmoved seconds after the first), then not; never probed or capped.
    expect(seen).toEqual([160, 160, 160]);
    expect(village.caps).toEqual([]);
    link.bps = 49_000; // the link cleared: feedback again, the estimate moves (still thin)
    link.loss = 0.24;
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.at(-1)).toBe(49);
    expect(village.caps).toEqual([0, 147_000]); // at once, not two seconds later
    link.bps = 52_000; // the spell's backlog still arriving: not paid off
    link.loss = 0.18;
    await vi.advanceTimersByTimeAsync(1000);
    expect(village.caps).toEqual([0, 147_000, 0, 156_000]); // every second, as after any collapse
    expect(asked.keyFrames).toBe(0);
    link.bps = 90_000; // it paid off: the lowest layer's base fits again (twice the floor), and each video gets a key frame
    link.loss = 0.1;
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked.keyFrames).toBe(1);
    link.bps = 360_000; // climbing on: not again
    link.loss = 0.05;
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked.keyFrames).toBe(1); // once per collapse
    estimate.close();
  });

  it('climbs out of a collapse reading each probe 400 ms after it, not at the next second, and hands back at the top', async () => {
    const link = { bps: 30_000 };
    const { estimate, village, seen, asked } = watchVillage(link);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(village.caps.slice(-2)).toEqual([0, 100_000]); // at the floor since second 1: collapsed, a thin probe each second
    const step = async (bps: number, ms: number) => {
      link.bps = bps;
      await vi.advanceTimersByTimeAsync(ms);
      return village.caps.slice(-2);
    };
    // The link cleared: the thin probe paid off, but a merely thin link reads as much; the second's check climbs on.
    expect(await step(95_000, 400)).toEqual([0, 100_000]);
    expect(await step(95_000, 600)).toEqual([0, 380_000]);
    expect(seen.at(-1)).toBe(95);
    expect(asked.keyFrames).toBe(1);
    // From there each probe is read 400 ms after it: reported, and four times it next.
    expect(await step(340_000, 400)).toEqual([0, 1_360_000]);
    expect(seen.at(-1)).toBe(340);
    expect(await step(1_300_000, 400)).toEqual([0, 1_417_000]); // all the seat wants
    expect(seen.at(-1)).toBe(1300);
    // The second's check in between reports the estimate and leaves the climb alone.
    const probes = village.caps.length;
    await step(1_417_000, 200);
    expect(village.caps).toHaveLength(probes);
    expect(seen.at(-1)).toBe(1417);
    // At the top the seconds' checks take over again: the cap is lifted, and nothing more is probed.
    await step(1_417_000, 1200);
    expect(village.caps.at(-1)).toBe(0);
    const count = village.caps.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(village.caps).toHaveLength(count);
    expect(asked.keyFrames).toBe(1);
    estimate.close();
  });

  it('leaves a thin probe that paid off to the seconds: a merely thin link (S3) gets no burst in between', async () => {
    const link = { bps: 30_000 };
    const { estimate, village } = watchVillage(link);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(village.caps.slice(-2)).toEqual([0, 100_000]);
    link.bps = 100_000; // all of the 100 asked: paid off, and no more than a merely thin link (S3) reads
    await vi.advanceTimersByTimeAsync(900);
    expect(village.caps.slice(-2)).toEqual([0, 100_000]);
    await vi.advanceTimersByTimeAsync(100);
    expect(village.caps.slice(-2)).toEqual([0, 400_000]); // the second's check, as before: four times the estimate
    link.bps = 120_000; // not paid off: read 400 ms later, nothing in between
    await vi.advanceTimersByTimeAsync(900);
    expect(village.caps.slice(-2)).toEqual([0, 400_000]);
    estimate.close();
  });

  it('starts the climb at once when a frozen estimate moves again above the thin mark', async () => {
    const link = { bps: 168_000, loss: 0.032 };
    const { estimate, village } = watchVillage(link);
    await vi.advanceTimersByTimeAsync(8000);
    link.bps = 115_000;
    link.loss = 0.07;
    await vi.advanceTimersByTimeAsync(1000);
    // Before, nothing probed it until the throttle's loss had left the loss average (bench S4: 4.7 s after the clear).
    expect(village.caps).toEqual([0, 230_000]);
    estimate.close();
  });

  it('does not count as frozen a steady estimate on a clean link, or a seat the SFU sends next to nothing', async () => {
    vi.useFakeTimers();
    const seen: string[] = [];
    const estimate = new DownlinkEstimate((seatId) => seen.push(seatId));
    // A clean link's loss stays at 0 while its estimate rests (bench S4: the mediator at 756 kbit/s for 7 s).
    const office = fakeTransport('t1', () => 756_000);
    // Some loss on record but only audio's DTX trickle sent: nothing to hear back about.
    const quiet = fakeTransport(
      't2',
      () => 160_000,
      () => 0.02,
      sentBytes(1_500),
    );
    estimate.watch('office', office.transport, { wantedKbit: () => 1417 });
    estimate.watch('quiet', quiet.transport, { wantedKbit: () => 1417 });
    await vi.advanceTimersByTimeAsync(6000);
    expect(seen.filter((id) => id === 'office')).toHaveLength(6);
    expect(seen.filter((id) => id === 'quiet')).toHaveLength(6);
    estimate.close();
  });

  it('keeps a merely thin link (30–80 kbit/s, bench S3) at a probe every two seconds', async () => {
    vi.useFakeTimers();
    const estimate = new DownlinkEstimate(() => undefined);
    let second = 0;
    const village = fakeTransport('t1', () => [30_000, 45_000, 60_000, 38_000][second++ % 4]);
    estimate.watch('village', village.transport, { wantedKbit: () => 1417 });
    await vi.advanceTimersByTimeAsync(16_000);
    expect(village.caps).toHaveLength(16); // eight probes in sixteen seconds
    estimate.close();
  });

  it('probes an app-limited estimate that holds a video below the layer it asks for, and climbs when it pays off', async () => {
    vi.useFakeTimers();
    const estimate = new DownlinkEstimate(() => undefined);
    const link = { bps: 700_000, heldDown: false };
    const office = fakeTransport('t1', () => link.bps);
    estimate.watch('office', office.transport, { wantedKbit: () => 1417, heldDown: () => link.heldDown });
    await vi.advanceTimersByTimeAsync(3000);
    expect(office.caps).toEqual([]); // an estimate under what is wanted, but no video held down by it: no probe
    link.heldDown = true; // the village's fresh camera offers 1280 px; the estimate carries 640
    await vi.advanceTimersByTimeAsync(1000);
    expect(office.caps).toEqual([0, 1_400_000]);
    link.bps = 1_200_000; // paid off: the climb asks for all that is wanted
    await vi.advanceTimersByTimeAsync(1000);
    expect(office.caps.slice(-2)).toEqual([0, 1_417_000]);
    estimate.close();
  });

  it('probes a link that stays held down only every five seconds, and lifts the cap after a probe that did not pay off', async () => {
    vi.useFakeTimers();
    const estimate = new DownlinkEstimate(() => undefined);
    const office = fakeTransport('t1', () => 300_000);
    estimate.watch('office', office.transport, { wantedKbit: () => 1417, heldDown: () => true });
    await vi.advanceTimersByTimeAsync(1000);
    expect(office.caps).toEqual([0, 600_000]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(office.caps).toEqual([0, 600_000, 0]); // 300 of 600: no payoff, the cap goes
    await vi.advanceTimersByTimeAsync(3000);
    expect(office.caps).toEqual([0, 600_000, 0]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(office.caps).toEqual([0, 600_000, 0, 0, 600_000]); // five seconds after the first
    estimate.close();
  });

  it('does not probe for a held-down video on a lossy link (bench S1: 5 % loss), and does once the loss is gone', async () => {
    vi.useFakeTimers();
    const estimate = new DownlinkEstimate(() => undefined);
    // Each second's feedback moves the loss a little: a lossy link that is heard from, not a frozen one.
    const link = { loss: 0.05, polls: 0 };
    const village = fakeTransport(
      't1',
      () => 290_000,
      () => link.loss + (link.polls++ % 2) * 0.001,
    );
    estimate.watch('village', village.transport, { wantedKbit: () => 1417, heldDown: () => true });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(village.caps).toEqual([]);
    link.loss = 0.01;
    await vi.advanceTimersByTimeAsync(1000);
    expect(village.caps).toEqual([0, 580_000]);
    estimate.close();
  });
});

describe('a video held down by the estimate', () => {
  const video = (current: number | undefined, preferred: number, producerScores: number[], more: object = {}) =>
    ({
      kind: 'video',
      type: 'simulcast',
      paused: false,
      producerPaused: false,
      score: { score: 10, producerScore: 10, producerScores },
      preferredLayers: { spatialLayer: preferred, temporalLayer: 2 },
      currentLayers: current === undefined ? undefined : { spatialLayer: current, temporalLayer: 2 },
      ...more,
    }) as unknown as Parameters<typeof forwardedBelowAsked>[0];

  it('is forwarded below both the layer asked for and the top layer its sender sends', () => {
    expect(forwardedBelowAsked(video(1, 2, [10, 10, 10]))).toBe(true);
    expect(forwardedBelowAsked(video(undefined, 0, [10, 0, 0]))).toBe(true); // nothing forwarded at all
    expect(forwardedBelowAsked(video(1, 2, [10, 10, 0]))).toBe(false); // the sender sends no higher layer
    expect(forwardedBelowAsked(video(1, 1, [10, 10, 10]))).toBe(false); // what it asks for
    expect(forwardedBelowAsked(video(undefined, 2, [0, 0, 0]))).toBe(false); // the sender's camera starves
    expect(forwardedBelowAsked(video(0, 2, [10, 10, 10], { paused: true }))).toBe(false);
    expect(forwardedBelowAsked(video(0, 2, [10, 10, 10], { kind: 'audio' }))).toBe(false);
  });
});

describe("release from mediasoup's layer hold", () => {
  afterEach(() => vi.useRealTimers());

  it('releases a seat held down for two seconds while its estimate carries all it wants, then not again for twelve', async () => {
    vi.useFakeTimers();
    const estimate = new DownlinkEstimate(() => undefined);
    const link = { bps: 1_417_000, heldDown: true };
    let releases = 0;
    const village = fakeTransport('t1', () => link.bps);
    estimate.watch('village', village.transport, {
      wantedKbit: () => 1417,
      heldDown: () => link.heldDown,
      release: async () => {
        releases++;
      },
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(releases).toBe(0); // one second could be a layer switch under way
    await vi.advanceTimersByTimeAsync(1000);
    expect(releases).toBe(1);
    await vi.advanceTimersByTimeAsync(11_000);
    expect(releases).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(releases).toBe(2);
    link.bps = 900_000; // the estimate itself holds it down: probes, not a release
    await vi.advanceTimersByTimeAsync(20_000);
    expect(releases).toBe(2);
    estimate.close();
  });

  it('pauses and resumes each video held down after a recent downgrade, and leaves paused one whose receiver paused it meanwhile', async () => {
    const calls: string[] = [];
    const now = 100_000;
    const video = (id: string, current: number, pausedByReceiver: boolean, downgradedAt: number | undefined) => {
      const consumer = {
        id,
        kind: 'video',
        type: 'simulcast',
        paused: false,
        producerPaused: false,
        closed: false,
        appData: { seatId: 's', producerSeatId: 'p', source: 'camera', downgradedAt } as Record<string, unknown>,
        score: { score: 10, producerScore: 10, producerScores: [10, 10, 10] },
        preferredLayers: { spatialLayer: 2, temporalLayer: 2 },
        currentLayers: { spatialLayer: current, temporalLayer: 2 },
        pause: async () => {
          calls.push(`pause ${id}`);
          // The receiver's own pause lands while the release waits on the worker.
          if (pausedByReceiver) consumer.appData.pausedByReceiver = true;
        },
        resume: async () => {
          calls.push(`resume ${id}`);
        },
      };
      return consumer;
    };
    const released = await releaseHeldDown(
      [
        video('held', 0, false, now - 3000),
        video('top', 2, false, now - 3000),
        video('raced', 1, true, now - 3000),
        // Held down, but mediasoup's hold is over or never began (its sender dropped a layer): a pause would only cost a key frame.
        video('old', 0, false, now - 11_000),
        video('never', 0, false, undefined),
      ] as never,
      now,
    );
    expect(released).toEqual(['held', 'raced']);
    expect(calls).toEqual(['pause held', 'resume held', 'pause raced']);
  });
});

describe('downgrades mediasoup holds a consumer after', () => {
  it('notes a move down from a layer at or below the one asked for, not a pause or a move under a lowered preference', () => {
    const observer = new EventEmitter();
    const consumer = {
      observer,
      currentLayers: { spatialLayer: 2, temporalLayer: 2 },
      preferredLayers: { spatialLayer: 2, temporalLayer: 2 },
      appData: {} as { downgradedAt?: number },
    };
    watchDowngrades(consumer as never);
    observer.emit('layerschange', undefined); // paused: no layer
    observer.emit('layerschange', { spatialLayer: 1, temporalLayer: 2 });
    expect(consumer.appData.downgradedAt).toBeUndefined();
    observer.emit('layerschange', { spatialLayer: 0, temporalLayer: 2 });
    expect(consumer.appData.downgradedAt).toBeGreaterThan(0);
    consumer.appData.downgradedAt = undefined;
    observer.emit('layerschange', { spatialLayer: 2, temporalLayer: 2 });
    consumer.preferredLayers = { spatialLayer: 1, temporalLayer: 2 }; // the receiver asked for less: mediasoup follows
    observer.emit('layerschange', { spatialLayer: 1, temporalLayer: 2 });
    expect(consumer.appData.downgradedAt).toBeUndefined();
  });
});
