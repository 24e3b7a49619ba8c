import type { Quality } from './stats.js';
import { cameraLayerKbit } from './UplinkGovernor.js';

/**
 * Seconds of good audio before a blind probe with video back on; doubled after each probe that fails.
 * Only used when the SFU sends no estimate of our downlink (see sfuEstimate()).
 */
const firstProbeS = 4;
// Capped low: once the link clears, video should come back within seconds, not minutes (bench S4).
const lastProbeS = 8;
/** Bad samples at the lowest layer before video is paused; a probe gets fewer, so a failed one costs little. */
const pauseAfter = 3;
const probePauseAfter = 2;
/** A probe that goes bad again within this many seconds counts as failed. */
const failedProbeS = 15;
/** The lowest layer and the sound, with packet overhead: what the SFU's estimate must show before video comes back. */
export const resumeKbit = Math.round((cameraLayerKbit[0] ?? 150) * 1.15 + 32 * 1.15);
/** An SFU estimate older than this many samples is stale: fall back to blind probes. */
const estimateStaleAfter = 3;

/**
 * Decides when our downlink cannot carry video at all (S3, 100 kbit/s): every
 * received video is already at the lowest simulcast layer and still bad. Then
 * received video is held back (RoomClient: the SFU sends only the lowest
 * spatial and temporal layer, the tiles show the camera-off placeholder), so
 * the sound keeps the link.
 *
 * Video comes back on the SFU's own estimate of our downlink (its transport-cc
 * estimate, which keeps probing because the held-back consumers stay active):
 * two samples in a row at or above what the lowest layer needs. Audio alone
 * cannot tell a link that has cleared from one still too thin (bench S4).
 * Without an estimate, video comes back as a blind probe after a spell of usable
 * audio; a probe that fails soon waits twice as long next time (4, then 8 s at most).
 */
export class DownlinkGuard {
  private pausedNow = false;
  private bad = 0;
  private clean = 0;
  private fits = 0;
  private tick = 0;
  private resumedAt = Number.NEGATIVE_INFINITY;
  private backoff = firstProbeS;
  private estimate: number | undefined;
  private estimateAt = Number.NEGATIVE_INFINITY;
  private onEstimate = false;
  /** Since the pause, the SFU's estimate has shown the link thin (it lags the loss by a few seconds). */
  private sawThin = false;
  private pausedAt = 0;

  get paused(): boolean {
    return this.pausedNow;
  }

  /** True when the last resume came from the SFU's estimate going thin and back (not a probe): the receiver may aim high at once. */
  get resumedOnEstimate(): boolean {
    return this.onEstimate;
  }

  /** The SFU's bandwidth estimate towards us (notification media:downlink), kbit/s. */
  sfuEstimate(kbit: number): void {
    this.estimate = kbit;
  }

  /** One second's samples; returns the new paused state when it changes. */
  observe(videos: { layer: number; quality: Quality }[], audio: Quality[]): boolean | undefined {
    this.tick++;
    const estimate = this.estimate;
    this.estimate = undefined;
    if (estimate !== undefined) this.estimateAt = this.tick;
    const failedProbe = this.tick - this.resumedAt < failedProbeS;
    if (!this.pausedNow) {
      const starved = videos.length > 0 && videos.every((v) => v.layer === 0 && v.quality === 'bad');
      this.bad = starved ? this.bad + 1 : 0;
      if (this.bad < (failedProbe ? probePauseAfter : pauseAfter)) return undefined;
      this.bad = 0;
      this.clean = 0;
      this.fits = 0;
      this.sawThin = false;
      this.pausedAt = this.tick;
      this.backoff = failedProbe ? Math.min(this.backoff * 2, lastProbeS) : firstProbeS;
      this.pausedNow = true;
      return true;
    }
    if (this.tick - this.estimateAt <= estimateStaleAfter) {
      // A sample without a fresh estimate (a late notification) neither counts nor breaks the run.
      if (estimate !== undefined) this.fits = estimate >= resumeKbit ? this.fits + 1 : 0;
      if (estimate !== undefined && estimate < resumeKbit) this.sawThin = true;
      // Right after the pause the estimate may still show the link as it was: wait until it has seen the
      // link thin, or, on a wide but lossy link where it never will, for the longest probe interval.
      if (!this.sawThin && this.tick - this.pausedAt < lastProbeS) return undefined;
      // After a resume that failed (a wide but lossy link), the estimate must hold longer: 2, then 4 samples.
      if (this.fits < this.backoff / 2) return undefined;
      // Only an estimate that went thin and came back says the link cleared; the 8 s fallback is a probe.
      return this.resume(this.sawThin);
    }
    // Audio merely 'poor' does not hold the probe back: after a congested spell the jitter buffer shrinks
    // slowly and kept audio 'poor' long after the link cleared (bench S4, video paused for 20 s).
    this.clean = audio.length > 0 && audio.every((q) => q !== 'bad') ? this.clean + 1 : 0;
    if (this.clean < this.backoff) return undefined;
    return this.resume(false);
  }

  /** The person chose audio only (or video again) themselves: start afresh. */
  reset(): void {
    this.pausedNow = false;
    this.bad = 0;
    this.clean = 0;
    this.fits = 0;
    this.backoff = firstProbeS;
  }

  private resume(onEstimate: boolean): false {
    this.resumedAt = this.tick;
    this.onEstimate = onEstimate;
    this.pausedNow = false;
    return false;
  }
}
