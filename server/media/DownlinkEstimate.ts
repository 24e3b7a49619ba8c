import type { types } from 'mediasoup';
import { lowestVideoKbit } from '../../signaling/cameraLayers.js';

/** Once a second: the client's downlink guard samples at the same pace, and one stats call per seat is cheap. */
const pollMs = 1000;
/** Below this the client holds received video back (the same mark as DownlinkGuard's resumeKbit: layer 0 and audio). */
const thinKbit = lowestVideoKbit;
/** While the estimate stays thin and no probe paid off, one this often (seconds). */
const probeEveryS = 2;
/**
 * At the estimate's floor (mediasoup's 30 kbit/s, and a little over) for this many seconds, the link collapsed rather
 * than narrowed: a thin probe every second, so that the clear is found within a second (bench S4: no frame reached the
 * village until the next probe, 0–2 s after the clear). A link that is merely thin (S3, 100 kbit/s) reads 30–80 and
 * keeps the two seconds: its estimate leaves the floor within a few seconds.
 */
const floorKbit = 36;
const collapsedAfterS = 8;
/**
 * A frozen estimate: in a second the SFU sent the seat at least frozenTxBytes, and neither its estimate nor its
 * transport-cc loss moved, with some loss on record. Both move with each transport-cc feedback, so the seat's feedback
 * stopped getting through (bench S4: the estimate stayed at 95–331 kbit/s for 8–20 s of the 30 kbit/s spell, never
 * reaching its floor, while the village's NACKs still arrived). After frozenAfterS such seconds the link counts as
 * collapsed: once feedback moves the estimate again, a thin one is probed at once and then every second, and one
 * above the thin mark but under what the seat wants starts its climb at once (bench S4: the first probe that paid
 * off came 3–5 s after the clear). Nothing is capped for it: a seat whose feedback dies while its media still
 * arrives keeps what the last estimate carries.
 */
const frozenTxBytes = 2000;
const frozenAfterS = 3;
/** Twice the floor: layer 0:0 and the sound fit (see keyFramesAfterCollapse). */
const keyFramesKbit = 2 * floorKbit;
/**
 * A consumer forwarded below the layer it asks for, which its sender sends: mediasoup's estimate holds it down. An
 * estimate that only carried little for a while stays low on its own (app-limited; bench S4: the mediator's estimate
 * sat at 646–706 kbit/s for 8–9 s while the village's fresh camera offered 1280 px). After one such second a probe at
 * twice the estimate, and every five seconds while it lasts (libwebrtc's own periodic probes are five seconds apart).
 */
const limitedEveryS = 5;
const limitedFirstAfterS = 1;
/**
 * Only on a link that loses next to nothing: the transport-cc loss of what we send (mediasoup's `rtpPacketLossSent`,
 * a weighted average over the last 24 feedback reports). S1–S3's 5 % random loss never probes for a held-down video.
 */
const heldDownMaxLoss = 0.02;
/**
 * Held down for this many seconds though the estimate carries all the seat wants: mediasoup's own hold, not the
 * estimate. SimulcastConsumer refuses a higher spatial layer for 10 s after a bandwidth-driven downgrade
 * (BweDowngradeConservativeMs), and only a pause ends that (bench S4: a downgrade at 2 s after the clear, 1,417
 * kbit/s from 8 s, and 1280 px only at 12.4 s). Then the seat's held-down videos are released (Room), at most once in
 * releaseEveryS.
 */
const releaseAfterS = 2;
const releaseEveryS = 12;
/**
 * A probe while thin asks for three times the estimate (libwebrtc probes at that and twice it, as its own start-up
 * probing does), at least enough to clear the thin mark: a few hundred bytes, under 0.2 s of a 30 kbit/s link.
 */
const thinProbeScale = 3;
const thinProbeMinKbit = 100;
/** After a probe paid off, the next asks for four times the new estimate (bench S4: 30 → 100 → 400 → 1,417 in three steps, where doubling took five). */
const climbScale = 4;
/**
 * Out of a collapse, each probe's result is read this long after it rather than at the next second: the estimate
 * moves within a few feedback reports (about 100 ms apart), and each second saved is a second sooner that the village's
 * video comes back and its camera moves (bench S4: 30 → 100 → 400 kbit/s at 1 and 2 s after the clear, the camera's move
 * on the second, and the mediator's first frame of the village 3.4 s after the clear).
 */
const climbReadMs = 400;
/**
 * Readings climb on only from twice the thin mark (188 kbit/s), more than a merely thin link reads (S3, 100 kbit/s:
 * 70–100 after a thin probe). From a thin reading the seconds' checks climb as before: with readings from the thin
 * mark, S3's thin probes were followed by bursts at four times them 400 ms later, and its freezes read 2.1–2.3 s in
 * four runs of seven (1.4–2.0 s in five runs without the readings).
 */
const climbFromKbit = 2 * thinKbit;
/**
 * A climb probe that did not pay off right after a thin spell may have met the spell's backlog still arriving
 * (bench S4: 139 of 548 one second after the clear, then 8 % a second for six seconds): up to three more tries,
 * two seconds apart, at twice the estimate. A link that is merely narrow costs three short bursts per thin spell.
 */
const climbRetries = 3;
const retryScale = 2;
/**
 * A probe paid off when the estimate reached this share of what it asked for: a probe's result reads somewhat
 * under its target (bench S4: 403 and 478 of 500 on a clear link), while a link that is merely narrow reads
 * its own rate (S1: about 290 of 500).
 */
const probePaidOff = 0.7;

/** mediasoup's transport-cc loss of what the SFU sends (`rtpPacketLossSent`, not in its typings). */
function lossOf(stat: types.WebRtcTransportStat): number {
  return (stat as { rtpPacketLossSent?: number }).rtpPacketLossSent ?? 0;
}

type Estimate = { stat: types.WebRtcTransportStat; bitrate: number; kbit: number };
/** The receive transport's stats and its estimate (bit/s, and kbit/s); undefined until transport-cc feedback has produced one. */
async function estimateOf(transport: types.WebRtcTransport): Promise<Estimate | undefined> {
  const [stat] = await transport.getStats();
  const bitrate = stat?.availableOutgoingBitrate;
  if (stat === undefined || bitrate === undefined || bitrate <= 0) return undefined;
  return { stat, bitrate, kbit: Math.round(bitrate / 1000) };
}

/** What the estimate says of the last probe: it reached 70 % of its ask, and paid off (reached, and the seat wants more). */
function probeOutcome(lastProbe: number | undefined, kbit: number, wanted: number): { reached: boolean; paidOff: boolean } {
  const reached = lastProbe !== undefined && kbit >= lastProbe * probePaidOff;
  return { reached, paidOff: reached && lastProbe < wanted };
}

type Listener = (seatId: string, availableKbit: number) => void;
/** What the seat's received media would take at the best layers its senders offer (kbit/s); 0 when it receives no video. */
export type WantedKbit = () => number;
/** Whether a video the seat receives is forwarded below the layer it asks for and its sender sends (LayerHold.forwardedBelowAsked). */
export type HeldDown = () => boolean;
/** Ends mediasoup's hold on the seat's held-down videos (LayerHold.releaseHeldDown). */
export type Release = () => Promise<void>;
/** Asks the senders of the seat's videos for a key frame (Room: each video consumer's requestKeyFrame). */
export type KeyFrames = () => Promise<void>;
/** What the estimate reads of the seat's media and does to it (Room); a seat without them wants everything and is left alone. */
export type SeatMedia = { wantedKbit: WantedKbit; heldDown: HeldDown; release: Release; keyFrames: KeyFrames };
const noSeatMedia: SeatMedia = {
  wantedKbit: () => Number.POSITIVE_INFINITY,
  heldDown: () => false,
  release: async () => undefined,
  keyFrames: async () => undefined,
};
type Watched = SeatMedia & {
  seatId: string;
  transport: types.WebRtcTransport;
  sinceProbe: number;
  /** Seconds in a row held down with the estimate carrying all the seat wants (negative: the wait after a release). */
  heldWhileCarried: number;
  /** Seconds in a row at the estimate's floor (see collapsedAfterS). */
  atFloor: number;
  /** The link collapsed (at its floor, or its estimate frozen) and has not climbed back over the thin mark. */
  collapsed: boolean;
  /** This collapse's key frames were asked for (see keyFramesAfterCollapse). */
  keyed: boolean;
  /** Seconds in a row with the estimate frozen (see frozenAfterS), and what the last poll read. */
  frozenS: number;
  last: { sent: number; bitrate: number; loss: number } | undefined;
  /** Seconds in a row held down by the estimate since the last such probe (see limitedEveryS). */
  sinceHeldDown: number;
  capped: boolean;
  /** What the last probe asked for (kbit/s), while the cap it set is on. */
  lastProbe: number | undefined;
  /** Tries left to climb after a thin spell ended with a probe that did not pay off. */
  retries: number;
  /** Set while a probe out of a collapse awaits its reading (see climbOn); the seconds' checks stand aside meanwhile. */
  climbTimer: ReturnType<typeof setTimeout> | undefined;
  /** The checks and climb readings of this seat, one after another (each reads stats and may set the cap). */
  busy: Promise<void>;
};

/**
 * The SFU's own estimate of each seat's downlink: the transport-cc bandwidth
 * estimate (`availableOutgoingBitrate`) of the seat's receive WebRtcTransport.
 *
 * A village whose received video is held back measures nothing but audio, which
 * looks the same on a link that has cleared as on one still too thin (bench
 * S4: video stayed paused 14–20 s after the link cleared). This figure tells
 * the client when the lowest layer fits again.
 *
 * On its own the estimate climbs back slowly: after a 30 kbit/s spell libwebrtc's
 * congestion control grows it about 8 % a second (bench S4: 15.7 s to reach the
 * lowest layer, and the top layer not within 20 s). So while a seat that wants
 * video has a thin estimate, every two seconds the SFU probes the link (see
 * probe() for how) at three times the estimate: a short burst of a few hundred
 * bytes. A probe that pays off (the estimate reaches 70 % of what it asked for)
 * is followed a second later by one at four times the new estimate, up to what the
 * seat's media takes at the best layers offered (bench S4 after the clear: 30 →
 * about 100 → 400 → 1,417 kbit/s). A probe that does not pay off gets three more
 * tries two seconds apart, then the climb ends and the cap is lifted: a link that
 * is merely narrow (S1, 300 kbit/s) is probed only after a thin spell.
 */
export class DownlinkEstimate {
  private readonly transports = new Map<string, Watched>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly onEstimate: Listener) {}

  /** Starts polling a receive transport; it is forgotten when it closes. */
  watch(seatId: string, transport: types.WebRtcTransport, media: Partial<SeatMedia> = {}): void {
    this.transports.set(transport.id, {
      ...noSeatMedia,
      ...media,
      seatId,
      transport,
      sinceProbe: 0,
      heldWhileCarried: 0,
      atFloor: 0,
      collapsed: false,
      keyed: false,
      frozenS: 0,
      last: undefined,
      sinceHeldDown: 0,
      capped: false,
      lastProbe: undefined,
      retries: 0,
      climbTimer: undefined,
      busy: Promise.resolve(),
    });
    transport.observer.once('close', () => {
      clearTimeout(this.transports.get(transport.id)?.climbTimer);
      this.transports.delete(transport.id);
    });
    this.timer ??= setInterval(() => void this.poll(), pollMs);
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const watched of this.transports.values()) clearTimeout(watched.climbTimer);
    this.transports.clear();
  }

  private async poll(): Promise<void> {
    if (this.transports.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    await Promise.all([...this.transports.values()].map((watched) => this.serially(watched, () => this.check(watched))));
  }

  /** Runs one check or climb reading of the seat after the one before it has finished. */
  private serially(watched: Watched, step: () => Promise<void>): Promise<void> {
    watched.busy = watched.busy.then(step).catch(() => undefined);
    return watched.busy;
  }

  private async check(watched: Watched): Promise<void> {
    const { transport } = watched;
    if (transport.closed) return;
    const estimate = await estimateOf(transport);
    if (estimate === undefined) return;
    const { stat, bitrate, kbit } = estimate;
    const frozen = this.frozen(watched, stat, bitrate);
    // A frozen estimate says nothing of the link now: not reported (the client's guard goes by its frames meanwhile).
    if (!frozen) this.onEstimate(watched.seatId, kbit);
    // A climb out of a collapse reads its own probes (climbOn); it hands back here when one does not pay off.
    if (watched.climbTimer !== undefined) return;
    const wanted = watched.wantedKbit();
    // Nothing to receive now (audio only, or a video paused a moment, as by a release from mediasoup's hold): no cap,
    // and a climb under way keeps its place. Bench S4: it ended at 388 kbit/s on such a moment, and the top layer waited 10 s.
    if (wanted <= 0) {
      if (watched.capped) await transport.setMaxOutgoingBitrate(0);
      watched.capped = false;
      watched.sinceProbe = 0;
      return;
    }
    if (await this.released(watched, kbit >= wanted)) return;
    // The last probe paid off: the link carries more than the estimate said, climb on at once.
    const { reached, paidOff } = probeOutcome(watched.lastProbe, kbit, wanted);
    const thin = kbit < thinKbit;
    watched.atFloor = kbit <= floorKbit ? watched.atFloor + 1 : 0;
    // A collapse whose estimate moved again above the thin mark: its climb starts now, with the tries a thin spell gets.
    const thawed = watched.collapsed && !frozen && !thin;
    watched.collapsed = frozen || (thin && (watched.collapsed || watched.atFloor >= collapsedAfterS));
    await this.keyFramesAfterCollapse(watched, kbit, thawed, frozen);
    // Nothing moves a frozen estimate, a probe included: the first second it moves again probes at once.
    if (frozen) {
      watched.sinceProbe = 0;
      return;
    }
    // The last step asked for all the seat wants and got it: the climb is over.
    if (reached && !paidOff) watched.retries = 0;
    // A thin spell: once it ends, a climb that stalls gets a few more tries.
    if (thin || thawed) watched.retries = climbRetries;
    if (thawed) watched.sinceProbe = probeEveryS;
    if (kbit < wanted && (paidOff || thin || watched.retries > 0)) {
      // Nothing paid off: only every two seconds (every second after a collapse), small (the link may still be at 30 kbit/s, or still draining).
      const every = watched.collapsed ? 1 : probeEveryS;
      if (!paidOff && ++watched.sinceProbe < every) return;
      if (!paidOff && !thin) watched.retries--;
      watched.sinceProbe = 0;
      const target = paidOff ? climbScale * kbit : thin ? Math.max(thinProbeScale * kbit, thinProbeMinKbit) : retryScale * kbit;
      await this.probe(watched, Math.min(wanted, target));
      if (watched.collapsed || thawed) this.readClimbSoon(watched);
      return;
    }
    // Held down by an estimate that is merely app-limited: a probe now and then (its payoff climbs on, above).
    // Not a lossy link: it is at its limit (or lossy), and its estimate says so (bench S1: probes there cost freezes).
    const lossy = lossOf(stat);
    watched.sinceHeldDown = kbit < wanted && lossy < heldDownMaxLoss && watched.heldDown() ? watched.sinceHeldDown + 1 : 0;
    if (watched.sinceHeldDown >= limitedFirstAfterS && (watched.sinceHeldDown - limitedFirstAfterS) % limitedEveryS === 0) {
      await this.probe(watched, Math.min(wanted, retryScale * kbit));
      return;
    }
    watched.sinceProbe = 0;
    watched.retries = 0;
    watched.lastProbe = undefined;
    if (watched.capped) await transport.setMaxOutgoingBitrate(0); // 0: no cap
    watched.capped = false;
  }

  /** Reads the probe just made climbReadMs from now (see climbOn). */
  private readClimbSoon(watched: Watched): void {
    clearTimeout(watched.climbTimer);
    watched.climbTimer = setTimeout(() => void this.serially(watched, () => this.climbOn(watched)), climbReadMs);
  }

  /**
   * A probe out of a collapse, read climbReadMs after it: when it paid off at climbFromKbit or more, the estimate is
   * reported, the seat's videos get their key frames (keyFramesAfterCollapse) and the next probe asks for four times
   * the estimate, read as soon. Otherwise (the link still thin, or the climb at all the seat wants) the seconds'
   * checks take over again, with the tries a thin spell gets.
   */
  private async climbOn(watched: Watched): Promise<void> {
    watched.climbTimer = undefined;
    if (watched.transport.closed) return;
    const kbit = (await estimateOf(watched.transport))?.kbit ?? 0;
    const wanted = watched.wantedKbit();
    // A thin probe's payoff does not tell a link that cleared from one merely thin (see climbFromKbit).
    if (kbit < climbFromKbit || !probeOutcome(watched.lastProbe, kbit, wanted).paidOff) return;
    this.onEstimate(watched.seatId, kbit);
    await this.keyFramesAfterCollapse(watched, kbit, true, false);
    await this.probe(watched, Math.min(wanted, climbScale * kbit));
    this.readClimbSoon(watched);
  }

  /** Whether the seat's estimate has been frozen for frozenAfterS seconds (see frozenTxBytes). */
  private frozen(watched: Watched, stat: types.WebRtcTransportStat, bitrate: number): boolean {
    const loss = lossOf(stat);
    const last = watched.last;
    watched.last = { sent: stat.bytesSent, bitrate, loss };
    const unmoved = last !== undefined && last.bitrate === bitrate && last.loss === loss && loss > 0;
    watched.frozenS = unmoved && stat.bytesSent - last.sent >= frozenTxBytes ? watched.frozenS + 1 : 0;
    return watched.frozenS >= frozenAfterS;
  }

  /**
   * After a collapse, the first estimate that carries the lowest layer's base (keyFramesKbit) asks for a key frame for
   * each of the seat's videos, whose decoders may wait for one since the spell's losses (bench S4: layer 0:0 forwarded
   * from 1.4 s after the clear at 150 kbit/s, the first frame decoded at 4.7 s; with this request, 0.2 s after it).
   * Once per collapse: asked again only after the estimate fell back under that mark, or froze.
   */
  private async keyFramesAfterCollapse(watched: Watched, kbit: number, thawed: boolean, frozen: boolean): Promise<void> {
    if (frozen || (watched.collapsed && kbit < keyFramesKbit)) {
      watched.keyed = false;
      return;
    }
    if (watched.keyed || !(watched.collapsed || thawed) || kbit < keyFramesKbit) return;
    watched.keyed = true;
    await watched.keyFrames().catch(() => undefined);
  }

  /** Releases the seat's videos from mediasoup's hold when the estimate carries all it wants (see releaseAfterS). */
  private async released(watched: Watched, carried: boolean): Promise<boolean> {
    const held = carried && watched.heldDown();
    watched.heldWhileCarried = held ? watched.heldWhileCarried + 1 : Math.min(watched.heldWhileCarried + 1, 0);
    if (watched.heldWhileCarried < releaseAfterS) return false;
    watched.heldWhileCarried = releaseAfterS - releaseEveryS;
    await watched.release();
    return true;
  }

  /**
   * A probe at the target (and at twice it, within the uncapped maximum). In mediasoup 3.12 the maximum reaches
   * libwebrtc twice: as the allocated bitrate, whose change makes its ProbeController probe (at the new
   * allocation and twice it, capped by the maximum it had before), and as the client's bitrate preference,
   * whose probes the worker drops (RtpTransportControllerSend::SetClientBitratePreferences discards the
   * update). So: back to the uncapped maximum first, then down to the target; the drop in allocation probes.
   * The estimate stays capped at the target until the next step lifts it.
   */
  private async probe(watched: Watched, targetKbit: number): Promise<void> {
    await watched.transport.setMaxOutgoingBitrate(0);
    await watched.transport.setMaxOutgoingBitrate(Math.max(30_000, Math.round(targetKbit * 1000)));
    watched.capped = true;
    watched.lastProbe = targetKbit;
  }
}
