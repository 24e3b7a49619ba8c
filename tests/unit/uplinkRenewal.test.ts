import { describe, expect, it } from 'vitest';
import { receivedKbitBetween } from '../../client/src/room/linkStats.js';
import { NetworkWatch } from '../../client/src/room/NetworkWatch.js';
import { UplinkGovernor } from '../../client/src/room/UplinkGovernor.js';
import { UplinkRenewal } from '../../client/src/room/UplinkRenewal.js';
import { lowestVideoKbit } from '../../signaling/cameraLayers.js';

/** One sample of the receive path: bytes received so far, read at `ms`. */
const at = (bytesReceived: number, ms: number) => ({
  protocol: 'udp' as const,
  rttMs: 150,
  outgoingKbit: undefined,
  bytesReceived,
  at: ms,
});

/**
 * Feeds one second: the SFU's estimate of our downlink (when given), then our uplink estimate; whether either moved
 * the camera. Each move is reported done at once, as NetworkWatch does once the fresh connection is up, unless
 * `moves` is false: the test then reports it not moved itself.
 */
function second(renewal: UplinkRenewal, uplinkKbit: number | undefined, downlinkKbit?: number, moves = true): boolean {
  const onEstimate = downlinkKbit !== undefined && renewal.sfuEstimate(downlinkKbit);
  if (onEstimate && moves) renewal.moved();
  const onSample = renewal.observe(uplinkKbit);
  if (onSample && moves) renewal.moved();
  return onEstimate || onSample;
}

/** Bench S4 as the village's page sees it: S1 (uplink about 250, downlink about 200), 20 s at 30 kbit/s, then clean. */
function s4(renewal: UplinkRenewal, afterClear: [number, number][]): boolean[] {
  const out: boolean[] = [];
  for (let s = 0; s < 10; s++) out.push(second(renewal, 250, 200));
  for (let s = 0; s < 20; s++) out.push(second(renewal, s < 3 ? 120 : 30, 30));
  for (const [up, down] of afterClear) out.push(second(renewal, up, down));
  return out;
}

describe('uplink renewal', () => {
  it('moves the camera once, when the SFU reads the path cleared while our own estimate is still low', () => {
    const renewal = new UplinkRenewal();
    // After the clear: our estimate creeps 30 → 45 (Chrome after heavy loss); the SFU's climbs 83 → 332 → 1,328.
    // The fresh connection starts at 300 and its start-up probes get through (bench S4: 1,763 then 3,719).
    const decisions = s4(renewal, [
      [30, 83],
      [45, 332],
      [300, 1328],
      [1763, 1400],
      [3719, 1400],
    ]);
    expect(decisions.slice(0, 30).some(Boolean)).toBe(false);
    // The second second after the clear: the first with the SFU at the cleared mark (our own estimate may still read its floor).
    expect(decisions.slice(30)).toEqual([false, true, false, false, false]);
  });

  it('counts only a fresh SFU estimate, or a second in which our downlink delivered as much', () => {
    // After a collapse, the SFU's estimate at the cleared mark moves the camera as it arrives, not at the next sample.
    const onArrival = new UplinkRenewal();
    for (let s = 0; s < 10; s++) second(onArrival, 30, 30);
    expect(onArrival.sfuEstimate(3 * lowestVideoKbit - 1)).toBe(false);
    expect(onArrival.sfuEstimate(3 * lowestVideoKbit)).toBe(true);
    expect(onArrival.observe(30)).toBe(false);
    // The SFU's 400 came before our own estimate showed the collapse: one second old still counts, three not.
    const fresh = new UplinkRenewal();
    fresh.observe(30);
    expect(fresh.sfuEstimate(400)).toBe(false);
    expect(fresh.observe(30)).toBe(true);
    const stale = new UplinkRenewal();
    stale.observe(30);
    expect(stale.sfuEstimate(400)).toBe(false);
    second(stale, undefined);
    second(stale, undefined);
    expect(second(stale, 30)).toBe(false);
    expect(second(stale, 30, 400)).toBe(true);
    // The first second after the clear delivers the queued backlog: proof enough, while every estimate still reads low.
    const burst = new UplinkRenewal();
    for (let s = 0; s < 10; s++) expect(burst.observe(30, 30)).toBe(false);
    expect(burst.observe(30, 3 * lowestVideoKbit - 1)).toBe(false);
    expect(burst.observe(30, 3 * lowestVideoKbit)).toBe(true);
  });

  it('leaves a link alone that never collapsed, or whose estimate climbed back by itself', () => {
    // S1 for two minutes with the SFU reading up to 400: no collapse, no renewal.
    const s1 = new UplinkRenewal();
    const steady = Array.from({ length: 120 }, (_, s) => second(s1, 200 + (s % 5) * 20, 300 + (s % 3) * 50));
    expect(steady.some(Boolean)).toBe(false);
    // S3: the 100 kbit/s uplink dips to 44–47, the SFU never reads much over 100.
    const s3 = new UplinkRenewal();
    const thin = Array.from({ length: 120 }, (_, s) => second(s3, s % 7 === 0 ? 30 : 46, 90 + (s % 3) * 10));
    expect(thin.some(Boolean)).toBe(false);
    // Climbed back to two layers' need on its own before the SFU said anything: the collapse is spent, no renewal.
    const climbed = new UplinkRenewal();
    expect(
      s4(climbed, [
        [700, 50],
        [900, 400],
        [120, 400],
      ]).some(Boolean),
    ).toBe(false);
  });

  it('renews once per collapse, and at most once in thirty seconds', () => {
    const renewal = new UplinkRenewal();
    const first = s4(renewal, [[50, 300]]);
    expect(first.filter(Boolean)).toHaveLength(1);
    // The link stays narrow up, wide down: the fresh connection's start-up reads as failed once (see the next test),
    // and nothing more without a new collapse.
    expect(Array.from({ length: 5 }, () => second(renewal, 100, 1500))).toEqual([false, true, false, false, false]);
    // A new collapse soon after: the cooldown holds it, and its chance is spent.
    const soon = [second(renewal, 30, 30), second(renewal, 30, 30), second(renewal, 60, 500)];
    expect(soon.some(Boolean)).toBe(false);
    // A collapse after the cooldown renews again.
    for (let s = 0; s < 30; s++) second(renewal, 100, 500);
    const later = [second(renewal, 30, 30), second(renewal, 30, 30), second(renewal, 60, 500)];
    expect(later).toEqual([false, false, true]);
  });

  it("moves once more when the fresh connection's start-up probes failed, once per collapse", () => {
    // Bench S4: the fresh connection read 484 a second after the move and climbed 8 % a second (1280 px at 17.3 s).
    const failed = new UplinkRenewal();
    const decisions = s4(failed, [
      [30, 83],
      [45, 332], // moved
      [484, 130],
      [512, 260], // three samples on from the move: under the mark, so once more, whatever the SFU reads of our downlink
      [300, 1040],
      [562, 1417],
      [3700, 1417],
      [3700, 1417],
    ]);
    expect(decisions.slice(30)).toEqual([false, true, false, true, false, false, false, false]);
    // A start-up that got through is left alone.
    const through = new UplinkRenewal();
    const steps = s4(through, [
      [30, 83],
      [45, 332],
      [300, 700],
      [1193, 700],
      [1289, 700],
    ]);
    expect(steps.slice(30)).toEqual([false, true, false, false, false]);
    // A move that did not happen leaves no fresh connection to read: the recheck follows the move that does.
    const stalled = new UplinkRenewal();
    s4(stalled, []);
    expect(second(stalled, 30, 400, false)).toBe(true);
    stalled.notMoved();
    expect([second(stalled, 30, 1400), second(stalled, 30, 1400), second(stalled, 300, 1400)]).toEqual([true, false, true]);
  });

  it('is wired into the network watch, which starts the uplink governor afresh once the camera moved', async () => {
    let calls = 0;
    const starts: number[] = [];
    const watch = new NetworkWatch(async (startKbit) => {
      calls++;
      starts.push(startKbit);
      return true;
    });
    const link = (kbit: number) => ({ send: { protocol: 'udp' as const, rttMs: 150, outgoingKbit: kbit }, recv: undefined });
    for (let s = 0; s < 10; s++) watch.observe(new Map(), link(250));
    for (let s = 0; s < 12; s++) watch.observe(new Map(), link(30));
    // Collapsed: the governor is down to one layer, and nothing moved.
    expect(watch.observe(new Map(), link(30)).state.sendingLayers).toBe(1);
    expect(calls).toBe(0);
    watch.sfuEstimate(3 * lowestVideoKbit);
    expect(calls).toBe(1); // on the notification itself
    watch.observe(new Map(), link(60));
    expect(calls).toBe(1);
    // Every layer allowed again, as at the start of a call (the new connection's estimate ramps up from its start).
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(watch.observe(new Map(), link(300)).state.sendingLayers).toBe(3);
    expect(calls).toBe(1);
    // The move was reported done: three samples on, a start-up still under 1 Mbit/s moves the camera once more.
    watch.observe(new Map(), link(400));
    expect(calls).toBe(1);
    watch.observe(new Map(), link(400));
    expect(calls).toBe(2);
    // Each fresh connection starts its estimate where the top layer can be sent, not at Chrome's 300 kbit/s.
    expect(starts).toEqual([1500, 1500]);
  });

  it('tries again on the next second with the evidence when the camera did not move', async () => {
    const answers = [false, true];
    let calls = 0;
    const watch = new NetworkWatch(async () => {
      calls++;
      const answer = answers.shift();
      if (answer === undefined) throw new Error('asked too often');
      return answer;
    });
    const link = (up: number, bytes: number, ms: number) => ({
      send: { protocol: 'udp' as const, rttMs: 150, outgoingKbit: up },
      recv: at(bytes, ms),
    });
    // Bytes received so far, per second: 30 kB a second on S1, 3 kB under the spell, then 60 kB a second once clear.
    const perSecond = [...Array.from({ length: 20 }, (_, s) => (s < 8 ? 30_000 : 3_000)), 60_000, 60_000, 60_000];
    const totals = perSecond.map((_, s) => perSecond.slice(0, s + 1).reduce((a, b) => a + b, 0));
    const callsAfter: number[] = [];
    for (const [s, total] of totals.entries()) {
      watch.observe(new Map(), link(s < 8 ? 250 : 30, total, s * 1000));
      await new Promise((resolve) => setTimeout(resolve, 0));
      callsAfter.push(calls);
    }
    // Nothing under S1 or the spell; the first clear second tries and fails (signalling stalled), the next moves it.
    expect(callsAfter.slice(0, 20).every((c) => c === 0)).toBe(true);
    expect(callsAfter.slice(20)).toEqual([1, 2, 2]);
  });

  it('keeps the proof for three seconds, for a try the stalled signalling held back', () => {
    const renewal = new UplinkRenewal();
    s4(renewal, []);
    // The backlog's second: proof, but the socket is still stalled and the camera does not move.
    expect(second(renewal, 30, undefined)).toBe(false);
    expect(renewal.observe(30, 500)).toBe(true);
    renewal.notMoved();
    // The next seconds show nothing new (the SFU's estimate still thin): the proof still counts.
    expect(renewal.observe(30, 40)).toBe(true);
    // Proof older than three seconds does not: a try whose failure came late (its requests waited out their timeout).
    const late = new UplinkRenewal();
    s4(late, []);
    expect(late.observe(30, 500)).toBe(true);
    for (let s = 0; s < 3; s++) expect(late.observe(30, 40)).toBe(false);
    late.notMoved();
    expect(late.observe(30, 40)).toBe(false);
    expect(late.observe(30, 400)).toBe(true);
  });

  it('gives up after three tries per collapse', () => {
    const renewal = new UplinkRenewal();
    const decisions = s4(renewal, []);
    for (let s = 0; s < 6; s++) {
      decisions.push(second(renewal, 30, 1000, false));
      renewal.notMoved();
    }
    expect(decisions.slice(30)).toEqual([true, true, true, false, false, false]);
  });

  it('keeps every layer on the fresh connection while its estimate climbs, then the usual rules', () => {
    // Bench S4: a fresh estimate climbing about 6 % a second from 815 kbit/s, then flat.
    const climb = [300, 815, 867, 930, 990, 1050, 1120, 1190, 1260, 1340, 1410, 1477];
    const flat = Array.from({ length: 8 }, () => 1477);
    const layers = (governor: UplinkGovernor) =>
      [...climb, ...flat].map((kbit) => {
        governor.observe(kbit);
        return governor.current.layers;
      });
    const fresh = layers(UplinkGovernor.climbing());
    expect(fresh.slice(0, climb.length).every((l) => l === 3)).toBe(true);
    // Four samples without a new high end the climb; then the usual rules: 1,477 kbit/s does not carry the top layer steadily.
    expect(fresh.slice(climb.length)).toContain(2);
    // A governor as at the start of a call drops the top layer at the ramp-up's end, while the estimate still climbs.
    expect(layers(new UplinkGovernor()).slice(0, climb.length)).toContain(2);
  });

  it('reads what the downlink delivered from two samples of the receive path', () => {
    expect(receivedKbitBetween(at(10_000, 1_000), at(110_000, 2_000))).toBe(800);
    // A new receive transport counts from zero; a sample without counters says nothing.
    expect(receivedKbitBetween(at(110_000, 2_000), at(5_000, 3_000))).toBeUndefined();
    expect(receivedKbitBetween(undefined, at(5_000, 3_000))).toBeUndefined();
  });
});
