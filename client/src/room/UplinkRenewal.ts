import { lowestVideoKbit, videoNeedKbit } from '../../../signaling/cameraLayers.js';
import { clearedKbit } from './DownlinkGuard.js';

/** Our uplink estimate under this (about 38 kbit/s) has collapsed to its floor: S4's 30 kbit/s spell reads 30, S3's 100 kbit/s link dips to 44–47. */
const floorKbit = 0.4 * lowestVideoKbit;
/** Samples in a row at the floor before the uplink counts as collapsed. */
const collapseAfter = 2;
/** Our own estimate at what the two lower layers need (669 kbit/s) climbed back by itself: nothing to renew. */
const climbedKbit = videoNeedKbit(2);
/** The SFU's estimate counts while it is at most this many samples old (it comes once a second). */
const freshFor = 2;
/** Tries per collapse when the camera did not move (a request failed on a link just cleared). */
const triesPerCollapse = 3;
/**
 * The proof that the path cleared counts for this many samples: the second that shows it may be one in which the
 * camera cannot move yet (bench S4: the signalling socket still stalled in the first second after the clear).
 */
const proofHolds = 3;
/** At most one renewal in this many samples: an uplink that stays narrow under a wide downlink costs one break, not a loop. */
const cooldown = 30;
/**
 * Samples after a move at which the fresh connection's estimate is read, once per collapse: 2–3 s after it, as a move
 * on the SFU's notification comes between samples. Chrome's start-up probes on the fresh connection either got
 * through (bench S4: 1.7–4.6 Mbit/s within a second or two of the move, 27 runs of 38) or failed (270–975 kbit/s in
 * 8 runs, then its climb of about 8 % a second: 1280 px 10–17 s after the clear, or not within the window). When they
 * failed (under startedKbit), the camera moves once more: a second start-up. Not on the SFU's word for our downlink:
 * in the runs whose start-up failed, its own climb had mostly not read 1 Mbit/s by then. An uplink that is really
 * under 1 Mbit/s pays one more short break per collapse. With the start at renewedStartKbit this fires only when
 * Chrome's estimate backed off from that start, or a browser ignored it.
 */
const recheckAfter = 3;
/** Between the failed start-ups' 270–975 kbit/s and the 1.7–4.6 Mbit/s of those that got through (the top layer wants about 1.4 Mbit/s). */
const startedKbit = 1000;

/**
 * Where the fresh connection's estimate starts (x-google-start-bitrate), not Chrome's 300 kbit/s: the path has just
 * shown it cleared, and about this much lets Chrome send all three layers (bench S4: 1280 px at an estimate of
 * 1.4–2 Mbit/s). Chrome's start-up probes go on from here; a start-up whose probes fail (10 of 38 S4 runs read
 * 270–1,222 kbit/s three seconds after the move) no longer leaves the camera at 320 or 640 px for ten seconds. On an
 * uplink narrower than this, Chrome's delay-based estimate backs off within about a second.
 */
export const renewedStartKbit = 1500;

/**
 * Decides when the camera moves onto a fresh send transport (MediaSession.renewCamera).
 *
 * After a collapse (bench S4: 20 s at 30 kbit/s) Chrome's estimate of the connection climbs back
 * about 25 kbit/s a second once the link has cleared: its loss-based estimator remembers the loss, and
 * the probes that more allowed layers set off do not move it (bench S4 from the village: 640 px at
 * 11.7–13.2 s, or 320 px all window; the goal is the best layer within 8 s). A new connection starts
 * from Chrome's start estimate and probes the link at once, as it did when the rebuilt runs reached
 * 1280 px at 8.6 s.
 *
 * When: the uplink collapsed to its floor, then the SFU's fresh estimate of our downlink, or what it
 * delivered in a second, reads the downlink guard's cleared mark (clearedKbit, 282 kbit/s) while our own
 * uplink estimate is still under two layers. A link capped under the mark never delivers it (S3: 100 kbit/s)
 * and its estimate never reads it; a wide lossy one hardly (S1: 115–230). The bytes are counted in the page,
 * while the SFU's estimate (at the mark two to eight seconds after S4's clear) comes over a socket that may
 * still be stalled.
 * Once per collapse, at most once in 30 s, up to three tries. The downlink stands for the path because it
 * is what the SFU can measure; a narrow uplink under a wide downlink costs one short camera break and a
 * burst of probes, then the usual rules apply.
 */
export class UplinkRenewal {
  private tick = 0;
  private atFloor = 0;
  private collapsed = false;
  private tries = 0;
  private renewedAt = Number.NEGATIVE_INFINITY;
  private downlinkKbit: number | undefined;
  private downlinkAt = Number.NEGATIVE_INFINITY;
  /** When the path last showed it cleared, since the collapse. */
  private clearedAt = Number.NEGATIVE_INFINITY;

  /** Our uplink estimate at the last sample (kbit/s). */
  private uplinkKbit: number | undefined;
  /** The sample at which the fresh connection's start-up is read (see recheckAfter); the one recheck a collapse gets. */
  private recheckAt = Number.POSITIVE_INFINITY;
  private recheckLeft = false;

  /**
   * The SFU's estimate of our downlink (notification media:downlink), kbit/s; true when the camera should move now.
   * After a collapse, an estimate at the cleared mark moves it at once, not at the next second's sample: the SFU
   * reports it within a quarter second of its probe after the clear (DownlinkEstimate).
   */
  sfuEstimate(kbit: number): boolean {
    this.downlinkKbit = kbit;
    this.downlinkAt = this.tick;
    if (!this.collapsed || kbit < clearedKbit) return false;
    this.clearedAt = this.tick;
    return this.moveNow();
  }

  /** The camera moved onto its fresh connection: its start-up is read recheckAfter samples from now, once per collapse. */
  moved(): void {
    if (!this.recheckLeft) return;
    this.recheckLeft = false;
    this.recheckAt = this.tick + recheckAfter;
  }

  /** The camera did not move (signalling stalled, or a request failed): the next second with the evidence tries again, three tries in all. */
  notMoved(): void {
    if (this.tries >= triesPerCollapse) return;
    this.collapsed = true;
    this.renewedAt = Number.NEGATIVE_INFINITY;
  }

  /** One second's samples (kbit/s): our uplink estimate and what our downlink delivered; true when the camera should move now. */
  observe(uplinkKbit: number | undefined, receivedKbit?: number): boolean {
    this.tick++;
    if (uplinkKbit === undefined || !Number.isFinite(uplinkKbit)) return false;
    this.uplinkKbit = uplinkKbit;
    this.atFloor = uplinkKbit < floorKbit ? this.atFloor + 1 : 0;
    if (this.atFloor === collapseAfter) {
      this.collapsed = true;
      this.tries = 0;
      this.clearedAt = Number.NEGATIVE_INFINITY;
      this.recheckLeft = true;
    }
    if (this.tick >= this.recheckAt) return this.startUpFailed(uplinkKbit);
    // Only after a collapse; our estimate itself may stay at its floor for seconds after the link cleared.
    if (!this.collapsed) return false;
    const estimated = this.tick - this.downlinkAt <= freshFor && (this.downlinkKbit ?? 0) >= clearedKbit;
    if (estimated || (receivedKbit ?? 0) >= clearedKbit) this.clearedAt = this.tick;
    if (this.tick - this.clearedAt > proofHolds) return false;
    return this.moveNow();
  }

  /** The path cleared after a collapse: move, unless our own estimate climbed back by itself or we moved lately. */
  private moveNow(): boolean {
    this.collapsed = false;
    if ((this.uplinkKbit ?? 0) >= climbedKbit || this.tick - this.renewedAt < cooldown) return false;
    return this.move();
  }

  /** The fresh connection's start-up, read once (see recheckAfter): true when its probes failed and the camera should move again. */
  private startUpFailed(uplinkKbit: number): boolean {
    this.recheckAt = Number.POSITIVE_INFINITY;
    return uplinkKbit < startedKbit && this.move();
  }

  private move(): true {
    this.renewedAt = this.tick;
    this.tries++;
    return true;
  }
}
