import { opusKbit as audioKbit, cameraLayerKbit, videoNeedKbit } from '../../../signaling/cameraLayers.js';

/**
 * Decides what our uplink sends, from the browser's own estimate of it
 * (availableOutgoingBitrate, once a second):
 * - how many camera simulcast layers: a layer the link cannot carry steadily
 *   is switched off instead of flapping on and off, which froze the receivers
 *   every time it went;
 * - the Opus bitrate: lower when the link is poor, so speech keeps its room;
 * - whether to offer audio only, when not even the smallest video fits.
 * Hysteresis everywhere: down fast (two samples), up after three samples with
 * room to spare, or as a probe after a steady spell, since Chrome's estimate
 * hardly rises above what is actually sent. A layer that failed soon after
 * being added waits twice as long before the next probe (4 s, 8 s, … 64 s),
 * unless the link collapsed under every layer: that says nothing about the
 * probe. After such a collapse (or two samples under 60 % of the lowest layer
 * while sending only it), as soon as the estimate climbs (30 % over its
 * low and rising, or back above 60 % of the lowest layer), every layer is
 * allowed at once and stays while it climbs (S4: the best layer back within
 * 8 s of a 30 kbit/s spell; one layer every two seconds from 60 % took 10.7 s).
 * Chrome's estimate climbs slowly on its own; a higher send limit lets it probe
 * the link, and its simulcast allocator still sends no layer its estimate
 * cannot carry, so nothing flaps while it climbs.
 * Once the estimate stops climbing (four samples without a new high) the usual
 * rules take over and switch off what it does not carry.
 * The first seconds are the estimate's ramp-up and never switch layers off.
 */

export type UplinkDecision = { layers: number; audioKbit: number; audioOnlySuggested: boolean };
const firstProbeS = 4;
const lastProbeS = 64;
/** Samples while the estimate ramps up from its start value; no layer is switched off then. */
const rampUpS = 6;
/** Under this share of the lowest layer's need, even during the ramp-up, the link is thin (about 140 kbit/s). */
const thinStart = 1.5;
/** Under this share of the lowest layer's need (about 38 kbit/s), the link collapsed to the estimate's floor. */
const floorShare = 0.4;
/** After a collapse, a climb of this much over the lowest estimate since says the link is clearing. */
const recoveryRise = 1.3;

export class UplinkGovernor {
  private decision: UplinkDecision = { layers: cameraLayerKbit.length, audioKbit: audioKbit.normal, audioOnlySuggested: false };
  private below = 0;
  private above = 0;
  private steady = 0;
  private starved = 0;
  private fed = 0;
  private raisedAt = Number.NEGATIVE_INFINITY;
  private backoff = firstProbeS;
  private tick = 0;
  /** The link collapsed under every layer: bring layers back quickly (see the class comment). */
  private recovering = false;
  private recoveryHigh = 0;
  /** The lowest estimate since the collapse, and the previous sample: a climb from the low starts the recovery. */
  private recoveryLow = Number.POSITIVE_INFINITY;
  private previous = Number.POSITIVE_INFINITY;
  private climbing = false;
  private stalled = 0;
  /** Samples in a row under 60 % of the lowest layer while sending only it. */
  private under = 0;

  constructor(private readonly layerKbit: readonly number[] = cameraLayerKbit) {}

  /**
   * For the camera's fresh connection after a collapse (UplinkRenewal): every layer stays allowed while its estimate
   * climbs, as in the recovery, past the ramp-up's six seconds (bench S4: a fresh estimate climbing 815 → 1,477 kbit/s
   * in eight seconds lost its top layer at the ramp-up's end, which Chrome would have sent from about 1.3 Mbit/s).
   */
  static climbing(layerKbit: readonly number[] = cameraLayerKbit): UplinkGovernor {
    const governor = new UplinkGovernor(layerKbit);
    governor.collapsed(0);
    governor.climbing = true;
    return governor;
  }

  get current(): UplinkDecision {
    return this.decision;
  }

  /** One sample of the estimate in kbit/s; returns the new decision when it changes. */
  observe(estimateKbit: number | undefined): UplinkDecision | undefined {
    if (estimateKbit === undefined || !Number.isFinite(estimateKbit)) return undefined;
    this.tick++;
    const before = this.decision;
    const layers = this.recover(estimateKbit, before.layers) ?? this.nextLayers(estimateKbit, before.layers);
    // Opus steps down where the smallest video stops fitting, so speech keeps its room on a 100 kbit/s link.
    const audio = estimateKbit < this.need(1) ? audioKbit.poor : audioKbit.normal;
    const audioOnlySuggested = this.nextAudioOnly(estimateKbit, before.audioOnlySuggested);
    if (layers === before.layers && audio === before.audioKbit && audioOnlySuggested === before.audioOnlySuggested) return undefined;
    this.decision = { layers, audioKbit: audio, audioOnlySuggested };
    return this.decision;
  }

  /** After a collapse: every layer back once the estimate climbs, while it climbs; the usual rules once it stops. */
  private recover(estimate: number, layers: number): number | undefined {
    const previous = this.previous;
    this.previous = estimate;
    if (!this.recovering) return undefined;
    this.recoveryLow = Math.min(this.recoveryLow, estimate);
    const rising = estimate > previous && estimate >= this.recoveryLow * recoveryRise;
    this.climbing ||= rising || estimate >= this.need(1) * 0.6;
    if (!this.climbing) return undefined;
    if (estimate > this.recoveryHigh * 1.05) {
      this.recoveryHigh = estimate;
      this.stalled = 0;
    } else if (++this.stalled >= 4) {
      this.recovering = false;
      return undefined;
    }
    this.below = 0;
    this.above = 0;
    this.steady = 0;
    if (layers < this.layerKbit.length) this.raisedAt = this.tick;
    return this.layerKbit.length;
  }

  private need(layers: number): number {
    return videoNeedKbit(layers, this.layerKbit);
  }

  private nextLayers(estimate: number, layers: number): number {
    // Chrome starts its estimate at 300 kbit/s and sends the 640 px layer at once; on a 100 kbit/s uplink that
    // overflowed the link in the first seconds (bench S3 from the village: no frame for 2.2 s, 640 px sent at
    // 54–71 kbit/s). An estimate this far under two layers is a thin link, not a ramp-up: switch off at once.
    const thin = estimate < this.need(1) * thinStart;
    if (layers > 1 && (this.tick > rampUpS || thin) && estimate < this.need(layers) * 0.9) {
      this.above = 0;
      this.steady = 0;
      if (++this.below < 2) return layers;
      this.below = 0;
      // Added recently and already too much: the link cannot carry it, wait longer next time.
      const probeFailed = this.tick - this.raisedAt < 15 && estimate >= this.need(1) * 0.6;
      this.backoff = probeFailed ? Math.min(this.backoff * 2, lastProbeS) : firstProbeS;
      if (!probeFailed && estimate < this.need(1) * 0.6) this.collapsed(estimate);
      return layers - 1;
    }
    this.below = 0;
    // Already at one layer (S1's 300 kbit/s carries no more) when the link collapses: the same quick recovery,
    // or the next layer waited for the old back-off once the link cleared (bench S4: 12.7 s to 1280 px).
    // At its floor, not merely thin: S3's estimate dips to 44–47 kbit/s, the 30 kbit/s throttle reads 30.
    this.under = layers === 1 && this.tick > rampUpS && estimate < this.need(1) * floorShare ? this.under + 1 : 0;
    if (this.under >= 2 && !this.recovering) {
      this.backoff = firstProbeS;
      this.collapsed(estimate);
    }
    if (layers >= this.layerKbit.length) return layers;
    // Room for the next layer, or steady long enough to try it once more.
    this.above = estimate >= this.need(layers + 1) * 1.1 ? this.above + 1 : 0;
    this.steady = estimate >= this.need(layers) ? this.steady + 1 : 0;
    if (this.above >= 3 || this.steady >= this.backoff) {
      this.above = 0;
      this.steady = 0;
      this.raisedAt = this.tick;
      return layers + 1;
    }
    return layers;
  }

  private collapsed(estimate: number): void {
    this.recovering = true;
    this.climbing = false;
    this.recoveryHigh = 0;
    this.recoveryLow = estimate;
    this.stalled = 0;
  }

  private nextAudioOnly(estimate: number, suggested: boolean): boolean {
    // The smallest video plus audio does not fit at its cap: offer audio only (the person decides; the lowest
    // layer goes on at what the estimate allows); take the offer back when it clearly fits.
    const smallest = this.need(1);
    this.starved = estimate < smallest ? this.starved + 1 : 0;
    this.fed = estimate >= smallest * 1.3 ? this.fed + 1 : 0;
    if (!suggested && this.starved >= 3) return true;
    if (suggested && this.fed >= 5) return false;
    return suggested;
  }
}
