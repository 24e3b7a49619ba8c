import { describe, expect, it } from 'vitest';
import { DownlinkGuard, heldVideoShows, resumeKbit, upstreamKbit, videoSample } from '../../client/src/room/DownlinkGuard.js';
import { LayerGovernor } from '../../client/src/room/LayerGovernor.js';
import { rawQuality, summarizeLink } from '../../client/src/room/linkStats.js';
import { NetworkWatch } from '../../client/src/room/NetworkWatch.js';
import { QualityBand } from '../../client/src/room/QualityBand.js';
import type { ConsumerStats } from '../../client/src/room/StatsMonitor.js';
import { UplinkGovernor } from '../../client/src/room/UplinkGovernor.js';
import { cameraLayers, lowestBaseFps, lowestVideoKbit, opusKbit, packetOverhead, videoNeedKbit } from '../../signaling/cameraLayers.js';

describe('uplink governor', () => {
  it('keeps one layer on a 300 kbit/s uplink instead of flapping the second', () => {
    const governor = new UplinkGovernor();
    const decisions = [];
    // The estimate hovers around 250–320 kbit/s for two minutes.
    for (let s = 0; s < 120; s++) decisions.push(governor.observe(250 + ((s * 37) % 70)));
    const layerChanges = decisions.filter((d) => d !== undefined).map((d) => d?.layers);
    // Nothing changes while the estimate ramps up; then down to two, then one.
    expect(decisions.slice(0, 7).every((d) => d === undefined)).toBe(true);
    expect(governor.current.layers).toBe(1);
    expect(layerChanges.slice(0, 2)).toEqual([2, 1]);
    // Probes for the second layer back off: 4, 8, 16, 32, 64 s apart at most five in two minutes.
    expect(layerChanges.filter((l) => l === 2).length).toBeLessThanOrEqual(5);
    expect(governor.current.audioOnlySuggested).toBe(false);
    expect(governor.current.audioKbit).toBe(32);
  });

  it('backs off longer each time an added layer fails soon after', () => {
    const governor = new UplinkGovernor([100, 200, 400]);
    // need(2)=(300+32)*1.15=382 → down to 1 after the ramp-up (250 is not thin: 1.5 × need(1) is 228).
    for (let s = 0; s < 11; s++) governor.observe(250);
    expect(governor.current.layers).toBe(1);
    const raisedAt: number[] = [];
    for (let s = 0; s < 120; s++) {
      const change = governor.observe(250);
      if (change?.layers === 2) raisedAt.push(s);
    }
    // Tries after 8, then 16, then 32 steady seconds (plus the two seconds each failure takes).
    const gaps = raisedAt.slice(1).map((t, i) => t - (raisedAt[i] ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(10);
    expect(gaps[1]).toBeGreaterThan(gaps[0] ?? 0);
    expect(gaps[2]).toBeGreaterThan(gaps[1] ?? 0);
  });

  it('probes again at once when the link collapsed under every layer and clears, whatever the earlier back-off', () => {
    const governor = new UplinkGovernor([100, 200, 400]);
    for (let s = 0; s < 11; s++) governor.observe(200); // down to 1 layer after the ramp-up
    let raised = 0;
    // Probes fail until the back-off is long.
    for (let s = 0; s < 60; s++) if (governor.observe(200)?.layers === 2) raised = s;
    expect(raised).toBeGreaterThan(0);
    // The second layer is up (a steady 400): then the link collapses to 30 kbit/s and drops it.
    for (let s = 0; s < 30 && governor.current.layers < 2; s++) governor.observe(400);
    expect(governor.current.layers).toBe(2);
    for (let s = 0; s < 5; s++) governor.observe(30);
    expect(governor.current.layers).toBe(1);
    // Clean again: every layer is allowed on the first sample that climbs, not after the earlier long back-off.
    const seconds = [];
    for (let s = 1; s <= 10; s++) if ((governor.observe(400)?.layers ?? 0) >= 2) seconds.push(s);
    expect(seconds[0]).toBe(1);
  });

  it('after a collapse, allows every layer on the first climb of the estimate, before it covers them (S4)', () => {
    const governor = new UplinkGovernor();
    for (let s = 0; s < 10; s++) governor.observe(3000);
    expect(governor.current.layers).toBe(3);
    for (let s = 0; s < 6; s++) governor.observe(30); // 30 kbit/s: down to one layer
    expect(governor.current.layers).toBe(1);
    // Still throttled, the estimate wobbles at its floor; then the link clears and it climbs slowly (bench S4:
    // 30, 42, 60 kbit/s in the first seconds) until a raised limit makes Chrome probe and it jumps.
    const estimates = [30, 32, 30, 31, 42, 60, 235, 900, 2074, 2500, 2500];
    const layers = estimates.map((e) => {
      governor.observe(e);
      return governor.current.layers;
    });
    // 42 is 40 % over the low and rising: every layer at once (Chrome's allocator sends what its estimate
    // carries), and they stay while the estimate climbs, though 60 and 235 do not carry them.
    expect(layers).toEqual([1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3]);
  });

  it('recovers as quickly when the link collapses while only the lowest layer is sent (S1 carries one layer)', () => {
    const governor = new UplinkGovernor();
    for (let s = 0; s < 20; s++) governor.observe(300); // S1: down to one layer, the second's probes back off
    expect(governor.current.layers).toBe(1);
    const layers = [30, 30, 30, 31, 36, 43, 54].map((e) => {
      governor.observe(e);
      return governor.current.layers;
    });
    expect(layers).toEqual([1, 1, 1, 1, 1, 3, 3]);
  });

  it('after a collapse, stays at one layer while the link stays thin, and hands over to the usual rules once the estimate stops climbing', () => {
    const thin = new UplinkGovernor();
    for (let s = 0; s < 10; s++) thin.observe(3000);
    for (let s = 0; s < 6; s++) thin.observe(30);
    for (let s = 0; s < 30; s++) thin.observe(90); // S3: 100 kbit/s
    expect(thin.current.layers).toBe(1);

    const capped = new UplinkGovernor();
    for (let s = 0; s < 10; s++) capped.observe(3000);
    for (let s = 0; s < 6; s++) capped.observe(30);
    const layers: number[] = [];
    for (let s = 1; s <= 40; s++) {
      capped.observe(300);
      layers.push(capped.current.layers);
    }
    // 300 kbit/s carries one layer: every layer comes back at once, the flat estimate ends that at 5 s,
    // and the usual rules take them off again within four seconds.
    expect(layers.slice(0, 4)).toEqual([3, 3, 3, 3]);
    expect(layers.slice(8, 12)).toEqual([1, 1, 1, 1]);
    // Then probes back off (these were failed probes): at most two more in the next 28 s.
    const raises = layers.slice(8).filter((l, i, all) => i > 0 && l > (all[i - 1] ?? l)).length;
    expect(raises).toBeLessThanOrEqual(2);
  });

  it('adds layers back when the estimate clearly carries them', () => {
    const governor = new UplinkGovernor();
    for (let s = 0; s < 11; s++) governor.observe(300);
    expect(governor.current.layers).toBe(1);
    for (let s = 0; s < 3; s++) governor.observe(3000);
    expect(governor.current.layers).toBe(2);
    for (let s = 0; s < 3; s++) governor.observe(3000);
    expect(governor.current.layers).toBe(3);
  });

  it('lowers Opus and offers audio only when not even the smallest video fits, and takes the offer back', () => {
    const governor = new UplinkGovernor();
    governor.observe(90);
    governor.observe(90);
    expect(governor.current.audioOnlySuggested).toBe(false);
    governor.observe(90);
    expect(governor.current.audioOnlySuggested).toBe(true);
    expect(governor.current.audioKbit).toBe(16);
    for (let s = 0; s < 4; s++) governor.observe(400);
    expect(governor.current.audioOnlySuggested).toBe(true);
    governor.observe(400);
    expect(governor.current.audioOnlySuggested).toBe(false);
    expect(governor.current.audioKbit).toBe(32);
  });

  it('switches the upper layers off in the first seconds when the estimate shows a thin link, not on a clean one (S3)', () => {
    const thin = new UplinkGovernor();
    // Chrome starts at 300 kbit/s and falls to what a 100 kbit/s uplink carries.
    const layers = [300, 180, 110, 90, 80, 70].map((e) => {
      thin.observe(e);
      return thin.current.layers;
    });
    expect(layers).toEqual([3, 3, 3, 2, 2, 1]); // two thin samples a step, from the third second
    const clean = new UplinkGovernor();
    for (const e of [300, 280, 600, 1200, 2500, 2600]) clean.observe(e);
    expect(clean.current.layers).toBe(3);
    // S3's dips to 44–47 kbit/s are not a collapse: no quick recovery cycling every layer on a 100 kbit/s link.
    const dips = new UplinkGovernor();
    const allowed = [90, 80, 70, 60, 60, 60, 60, 60, 47, 44, 58, 60, 62, 47, 44, 58].map((e) => {
      dips.observe(e);
      return dips.current.layers;
    });
    expect(allowed.slice(5)).toEqual(Array(11).fill(1));
  });

  it('on a 100 kbit/s uplink (S3) keeps the lowest layer, speaks at 16 kbit/s and offers audio only', () => {
    const governor = new UplinkGovernor();
    for (let s = 0; s < 30; s++) governor.observe(85 + ((s * 7) % 15));
    expect(governor.current).toEqual({ layers: 1, audioKbit: 16, audioOnlySuggested: true });
    // 300 kbit/s (S1) carries the lowest layer with room: no offer, full-rate Opus.
    const s1 = new UplinkGovernor();
    for (let s = 0; s < 30; s++) s1.observe(250 + ((s * 37) % 70));
    expect(s1.current.audioOnlySuggested).toBe(false);
    expect(s1.current.audioKbit).toBe(32);
  });

  it('ignores a missing estimate', () => {
    expect(new UplinkGovernor().observe(undefined)).toBeUndefined();
  });
});

describe('quality badge', () => {
  it('rates loss, round trip, jitter buffer and uplink together', () => {
    expect(rawQuality({ loss: 0.05 })).toBe('good');
    expect(rawQuality({ loss: 0.12 })).toBe('poor');
    expect(rawQuality({ loss: 0.2 })).toBe('bad');
    // Over TCP: no loss, but speech waits half a second.
    expect(rawQuality({ loss: 0, jitterBufferMs: 550 })).toBe('poor');
    expect(rawQuality({ loss: 0, rttMs: 600 })).toBe('poor');
    expect(rawQuality({ loss: 0, outgoingKbit: 40 })).toBe('bad');
  });

  it('does not flap on a link at the edge of a band', () => {
    const band = new QualityBand();
    const shown = ['poor', 'good', 'poor', 'good', 'good', 'poor', 'good'].map((q) => band.observe(q as 'good' | 'poor'));
    expect(new Set(shown)).toEqual(new Set(['good']));
  });

  it('gets worse after two samples and better after three', () => {
    const band = new QualityBand();
    expect(band.observe('bad')).toBe('good');
    expect(band.observe('bad')).toBe('bad');
    expect(band.observe('good')).toBe('bad');
    expect(band.observe('poor')).toBe('bad');
    expect(band.observe('good')).toBe('poor'); // the worst of the three better samples
    expect(band.observe('good')).toBe('poor');
    expect(band.observe('good')).toBe('poor');
    expect(band.observe('good')).toBe('good');
  });
});

describe('own connection', () => {
  const report = (protocol: string, rtt: number, bitrate: number) =>
    new Map<string, Record<string, unknown>>([
      ['T', { type: 'transport', id: 'T', selectedCandidatePairId: 'P' }],
      ['P', { type: 'candidate-pair', id: 'P', localCandidateId: 'L', currentRoundTripTime: rtt, availableOutgoingBitrate: bitrate }],
      ['L', { type: 'local-candidate', id: 'L', protocol }],
    ]) as unknown as RTCStatsReport;

  it('reads protocol, round trip and estimate from the selected pair', () => {
    expect(summarizeLink(report('tcp', 0.15, 300_000))).toEqual({ protocol: 'tcp', rttMs: 150, outgoingKbit: 300 });
    expect(summarizeLink(new Map() as unknown as RTCStatsReport).protocol).toBeUndefined();
  });

  it('shows TCP as a fallback, and a half-second jitter buffer as poor', () => {
    const watch = new NetworkWatch();
    const stream = { lossPercent: 0, jitterBufferMs: 550, quality: 'good' } as ConsumerStats;
    const link = { send: summarizeLink(report('tcp', 0.15, 300_000)), recv: summarizeLink(report('tcp', 0.15, 300_000)) };
    watch.observe(new Map([['a', stream]]), link);
    const { state } = watch.observe(new Map([['a', stream]]), link);
    expect(state.fallbackTcp).toBe(true);
    expect(state.quality).toBe('poor');
    expect(state.rttMs).toBe(150);
  });
});

describe('downlink guard', () => {
  const starved = [{ layer: 0, quality: 'bad' as const }];

  it('pauses received video after three bad seconds at the lowest layer, not before', () => {
    const guard = new DownlinkGuard();
    expect(guard.observe([{ layer: 1, quality: 'bad' }], ['good'])).toBeUndefined(); // a higher layer can still step down
    expect(guard.observe(starved, ['good'])).toBeUndefined();
    expect(guard.observe(starved, ['good'])).toBeUndefined();
    expect(guard.observe(starved, ['good'])).toBe(true);
    expect(guard.paused).toBe(true);
    expect(new DownlinkGuard().observe([], ['bad'])).toBeUndefined(); // nothing received: nothing to pause
  });

  it('probes with video after four seconds of good audio, and waits twice as long after a failed probe', () => {
    const guard = new DownlinkGuard();
    for (let s = 0; s < 3; s++) guard.observe(starved, ['good']);
    for (let s = 0; s < 9; s++) expect(guard.observe([], ['bad'])).toBeUndefined(); // audio bad too: no probe
    for (let s = 0; s < 3; s++) expect(guard.observe([], ['good'])).toBeUndefined();
    expect(guard.observe([], ['good'])).toBe(false);
    expect(guard.observe(starved, ['good'])).toBeUndefined();
    expect(guard.observe(starved, ['good'])).toBe(true); // a failing probe is cut after two seconds
    const resumedAfter = [];
    for (let s = 1; s <= 12; s++) if (guard.observe([], ['good']) === false) resumedAfter.push(s);
    expect(resumedAfter).toEqual([8]);
  });

  it('resumes on the SFU estimate of our downlink, not on audio, once the lowest layer fits', () => {
    const guard = new DownlinkGuard();
    for (let s = 0; s < 3; s++) guard.observe(starved, ['good']);
    expect(guard.paused).toBe(true);
    // S3: the SFU sees 90 kbit/s; twenty seconds of good audio bring no blind probe.
    for (let s = 0; s < 20; s++) {
      guard.sfuEstimate(90);
      expect(guard.observe([], ['good'])).toBeUndefined();
    }
    // The link clears: two samples at or above what the lowest layer needs.
    guard.sfuEstimate(resumeKbit);
    expect(guard.observe([], ['bad'])).toBeUndefined();
    guard.sfuEstimate(400);
    expect(guard.observe([], ['bad'])).toBe(false);
    expect(guard.resumedOnEstimate).toBe(true);
  });

  it('does not resume on an estimate that still shows the link as it was before the pause', () => {
    const guard = new DownlinkGuard();
    for (let s = 0; s < 3; s++) guard.observe(starved, ['good']);
    const resumedAt: number[] = [];
    [232, 232, 232, 80, 200, 200].forEach((kbit, i) => {
      guard.sfuEstimate(kbit);
      if (guard.observe([], ['good']) === false) resumedAt.push(i + 1);
    });
    // The SFU lags the loss: only after it has seen the link thin do two good samples count (one, at three times the mark).
    expect(resumedAt).toEqual([6]);
    expect(guard.resumedOnEstimate).toBe(true);
  });

  it('on a wide but lossy link resumes after the longest interval, and probes blind when the SFU goes quiet', () => {
    const guard = new DownlinkGuard();
    for (let s = 0; s < 3; s++) guard.observe(starved, ['good']);
    const wide = () => {
      for (let s = 1; s <= 10; s++) {
        guard.sfuEstimate(1000);
        if (guard.observe([], ['good']) === false) return s;
      }
      return undefined;
    };
    // The estimate never shows the link thin: resume after eight seconds rather than never.
    expect(wide()).toBe(8);
    guard.observe(starved, ['good']);
    expect(guard.observe(starved, ['good'])).toBe(true); // still lossy: held back again at once
    expect(wide()).toBe(8);
    expect(guard.resumedOnEstimate).toBe(false); // a probe: the receiver climbs from the lowest layer
    // No estimate for more than three samples: blind probes after the back-off (8 s, counted once stale).
    guard.observe(starved, ['good']);
    guard.observe(starved, ['good']);
    expect(guard.paused).toBe(true);
    const blind = [];
    for (let s = 1; s <= 12; s++) if (guard.observe([], ['good']) === false) blind.push(s);
    expect(blind).toEqual([9]);
    expect(guard.resumedOnEstimate).toBe(false);
  });

  it("lets the lowest layer's frames prove the link: shown while they arrive, resumed after two steady seconds", () => {
    const guard = new DownlinkGuard();
    for (let s = 0; s < 3; s++) guard.observe(starved, ['good']);
    // The throttle: a frame now and then is not video worth showing (the tile keeps the placeholder, no frozen frame).
    for (const frames of [2, 0, 1, 0, 3, 0]) {
      guard.sfuEstimate(60);
      expect(guard.observe([], ['good'], [{ frames }])).toBeUndefined();
    }
    expect(heldVideoShows({ frames: 2 })).toBe(false);
    // The link clears while the SFU's estimate still lags: the frames of layer 0:0 are the proof.
    expect(heldVideoShows({ frames: 7 })).toBe(true);
    guard.sfuEstimate(80);
    expect(guard.observe([], ['good'], [{ frames: 7 }])).toBeUndefined();
    guard.sfuEstimate(90);
    expect(guard.observe([], ['good'], [{ frames: 6 }])).toBe(false);
    expect(guard.resumedOnEstimate).toBe(true); // evidence, not a blind probe: aim at the top layer
    // It fails again soon: held back after two bad seconds, and now the frames must hold for four.
    guard.observe(starved, ['good']);
    expect(guard.observe(starved, ['good'])).toBe(true);
    const resumedAt: number[] = [];
    [7, 7, 0, 7, 7, 7, 7].forEach((frames, i) => {
      guard.sfuEstimate(90);
      if (guard.observe([], ['good'], [{ frames }]) === false) resumedAt.push(i + 1);
    });
    expect(resumedAt).toEqual([7]);
    // After failed resumes an estimate that went thin and now reads three times the mark resumes at once.
    guard.observe(starved, ['good']);
    expect(guard.observe(starved, ['good'])).toBe(true);
    guard.sfuEstimate(40);
    expect(guard.observe([], ['good'], [{ frames: 0 }])).toBeUndefined();
    guard.sfuEstimate(400);
    expect(guard.observe([], ['good'], [{ frames: 0 }])).toBe(false);
    // Every held-back video must show its frames: one still dark keeps the others held back.
    const two = new DownlinkGuard();
    for (let s = 0; s < 3; s++) two.observe(starved, ['good']);
    for (let s = 0; s < 5; s++) {
      two.sfuEstimate(60);
      expect(two.observe([], ['good'], [{ frames: 7 }, { frames: 0 }])).toBeUndefined();
    }
  });

  it('holds video back when at most a frame a second arrives for two seconds at any layer (the SFU forwards none), not while it starts', () => {
    const guard = new DownlinkGuard();
    const dark = [{ layer: 2, quality: 'good' as const, frames: 0 }];
    expect(guard.observe(dark, ['good'])).toBeUndefined();
    expect(guard.observe(dark, ['good'])).toBe(true);
    // A frame a second is a frozen picture too; two or more a second are not.
    const slow = new DownlinkGuard();
    const frames = (n: number) => [{ layer: 0, quality: 'good' as const, frames: n }];
    expect([1, 0].map((n) => slow.observe(frames(n), ['good']))).toEqual([undefined, true]);
    // Moving but bad at the lowest layer is not frozen: three samples, as before.
    const lossy = new DownlinkGuard();
    const bad = [{ layer: 0, quality: 'bad' as const, frames: 6 }];
    expect([1, 2, 3].map(() => lossy.observe(bad, ['good']))).toEqual([undefined, undefined, true]);
    const moving = new DownlinkGuard();
    expect([2, 2, 2, 2].map((n) => moving.observe(frames(n), ['good']))).toEqual([undefined, undefined, undefined, undefined]);
    expect(videoSample(undefined)).toEqual({ quality: 'good' });
    const stats = { quality: 'good', newFrames: 0, framesDecoded: 0 } as ConsumerStats;
    expect(videoSample(stats)).toEqual({ quality: 'good' }); // not one frame yet: starting, not starved
    expect(videoSample({ ...stats, framesDecoded: 40 })).toEqual({ quality: 'good', frames: 0 });
  });

  it("tells the sender's starved uplink from our own thin downlink, and shows the video again on its first steady second", () => {
    const guard = new DownlinkGuard();
    const dark = [{ layer: 2, quality: 'good' as const, frames: 0 }];
    // No frame for three seconds while the SFU's estimate of our downlink is wide: the sender's link starves.
    for (let s = 0; s < 3; s++) {
      guard.sfuEstimate(1300);
      guard.observe(dark, ['good']);
    }
    expect(guard.paused).toBe(true);
    expect(guard.upstream).toBe(true);
    guard.sfuEstimate(1300);
    expect(guard.observe([], ['good'], [{ frames: 1 }])).toBeUndefined(); // a frame now and then: still held
    guard.sfuEstimate(1300);
    expect(guard.observe([], ['good'], [{ frames: 8 }])).toBe(false); // one steady second, not two
    expect(guard.resumedOnEstimate).toBe(true);
    expect(guard.upstream).toBe(false);

    // Our own estimate falls while held: our link, so thin (layer 0:0) and the usual proof.
    const falls = new DownlinkGuard();
    for (let s = 0; s < 3; s++) {
      falls.sfuEstimate(upstreamKbit);
      falls.observe(dark, ['good']);
    }
    expect(falls.upstream).toBe(true);
    falls.sfuEstimate(60);
    expect(falls.observe([], ['good'], [{ frames: 8 }])).toBeUndefined();
    expect(falls.upstream).toBe(false);

    // Loss at the lowest layer is our link even when the estimate is wide; no estimate at all proves nothing.
    const lossy = new DownlinkGuard();
    for (let s = 0; s < 3; s++) {
      lossy.sfuEstimate(1300);
      lossy.observe(starved, ['good']);
    }
    expect(lossy.paused && !lossy.upstream).toBe(true);
    const blind = new DownlinkGuard();
    for (let s = 0; s < 3; s++) blind.observe(dark, ['good']);
    expect(blind.paused && !blind.upstream).toBe(true);
  });

  it("after a spell that thinned our own link, a bad lowest layer at the cleared mark is the badge's memory, for six samples", () => {
    /** Held through a spell (the estimate at 30 kbit/s), then resumed when the estimate reads 1,417 again. */
    const afterSpell = () => {
      const guard = new DownlinkGuard();
      for (let s = 0; s < 3; s++) {
        guard.sfuEstimate(30);
        guard.observe(starved, ['good']);
      }
      guard.sfuEstimate(30);
      guard.observe([], ['good']);
      for (let s = 0; s < 3 && guard.paused; s++) {
        guard.sfuEstimate(1417);
        guard.observe([], ['good']);
      }
      expect(guard.paused).toBe(false);
      return guard;
    };
    const second = (guard: DownlinkGuard, kbit: number, frames = 19) => {
      guard.sfuEstimate(kbit);
      return guard.observe([{ layer: 0, quality: 'bad', frames }], ['good']);
    };
    // Bench S4 to the village: 19–20 frames a second, a badge still bad from the clear's loss: not held back.
    const cleared = afterSpell();
    expect([1, 2, 3, 4, 5, 6].map(() => second(cleared, 1417))).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    // Past the six samples a bad badge counts again (twice, within 15 s of the resume).
    expect([second(cleared, 1417), second(cleared, 1417)]).toEqual([undefined, true]);
    // Under the cleared mark the badge may be the link now: the usual two samples after a resume.
    const thin = afterSpell();
    expect([second(thin, 200), second(thin, 200)]).toEqual([undefined, true]);
    // No frame at all still holds it back at once.
    const dark = afterSpell();
    expect([second(dark, 1417, 0), second(dark, 1417, 0)]).toEqual([undefined, true]);
    // A resume without our own link going thin (a sender's spell) gets no such grace.
    const wide = new DownlinkGuard();
    for (let s = 0; s < 3; s++) {
      wide.sfuEstimate(1417);
      wide.observe([{ layer: 0, quality: 'good', frames: 0 }], ['good']);
    }
    wide.sfuEstimate(1417);
    expect(wide.observe([], ['good'], [{ frames: 8 }])).toBe(false);
    expect([second(wide, 1417), second(wide, 1417)]).toEqual([undefined, true]);
  });

  it('starts afresh when the person chooses for themselves', () => {
    const guard = new DownlinkGuard();
    for (let s = 0; s < 3; s++) guard.observe(starved, ['good']);
    guard.reset();
    expect(guard.paused).toBe(false);
  });
});

describe('layer governor', () => {
  it('steps down on bad samples and, restarted after the link cleared, asks for the top layer again', () => {
    const governor = new LayerGovernor();
    for (let s = 0; s < 4; s++) governor.observe('v', 'bad');
    expect(governor.layer('v')).toBe(0);
    governor.restart('v');
    expect(governor.layer('v')).toBe(2);
    // The first four samples after a restart are the thin spell's residue: poor or bad ones do not step down.
    for (let s = 0; s < 4; s++) expect(governor.observe('v', s % 2 ? 'poor' : 'bad')).toBeUndefined();
    expect(governor.layer('v')).toBe(2);
    expect(governor.observe('v', 'bad')).toBeUndefined(); // counters start afresh too
    expect(governor.observe('v', 'bad')).toBe(1);
  });
});

describe('camera layers', () => {
  it('sizes the lowest layer for a 100 kbit/s link, one mark for the guard and the SFU, and keeps 640x360 and 1280x720 on top', () => {
    // 320x180 with 16 kbit/s Opus and packet overhead fits a 100 kbit/s link.
    expect(cameraLayers.map((l) => 1280 / l.scaleDownBy)).toEqual([320, 640, 1280]);
    expect(((cameraLayers[0]?.maxKbit ?? 0) + opusKbit.poor) * packetOverhead).toBeLessThanOrEqual(100);
    expect(resumeKbit).toBe(lowestVideoKbit);
    expect(lowestVideoKbit).toBe(Math.round(videoNeedKbit(1)));
    expect(lowestVideoKbit).toBeLessThan(120);
    // Its base temporal layer still shows a held-back video at a countable rate.
    expect(lowestBaseFps).toBeGreaterThanOrEqual(5);
  });
});
