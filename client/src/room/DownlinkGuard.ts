import type { Quality } from './stats.js';

/**
 * Seconds of good audio before the first probe with video back on; doubled after each probe that fails.
 * Short, because nothing but a probe tells a 100 kbit/s link from one that has cleared (bench S4: 10 s kept
 * video off for 14 s after the link cleared).
 */
const firstProbeS = 4;
// Capped low: once the link clears, video should come back within seconds, not minutes (bench S4).
const lastProbeS = 8;
/** Bad samples at the lowest layer before video is paused; a probe gets fewer, so a failed one costs little. */
const pauseAfter = 3;
const probePauseAfter = 2;
/** A probe that goes bad again within this many seconds counts as failed. */
const failedProbeS = 15;

/**
 * Decides when our downlink cannot carry video at all (S3, 100 kbit/s): every
 * received video is already at the lowest simulcast layer and still bad. Then
 * received video is paused so the sound keeps the link, and the tiles show the
 * camera-off placeholder instead of a frozen frame. With video paused only the
 * audio can be measured, so video comes back as a probe after a spell of usable
 * audio (not bad); a probe that fails soon waits twice as long next time (4, then 8 s at most).
 */
export class DownlinkGuard {
  private pausedNow = false;
  private bad = 0;
  private clean = 0;
  private tick = 0;
  private resumedAt = Number.NEGATIVE_INFINITY;
  private backoff = firstProbeS;

  get paused(): boolean {
    return this.pausedNow;
  }

  /** One second's samples; returns the new paused state when it changes. */
  observe(videos: { layer: number; quality: Quality }[], audio: Quality[]): boolean | undefined {
    this.tick++;
    if (!this.pausedNow) {
      const starved = videos.length > 0 && videos.every((v) => v.layer === 0 && v.quality === 'bad');
      this.bad = starved ? this.bad + 1 : 0;
      if (this.bad < (this.tick - this.resumedAt < failedProbeS ? probePauseAfter : pauseAfter)) return undefined;
      this.bad = 0;
      this.clean = 0;
      this.backoff = this.tick - this.resumedAt < failedProbeS ? Math.min(this.backoff * 2, lastProbeS) : firstProbeS;
      this.pausedNow = true;
      return true;
    }
    // Audio merely 'poor' does not hold the probe back: after a congested spell the jitter buffer shrinks
    // slowly and kept audio 'poor' long after the link cleared (bench S4, video paused for 20 s).
    this.clean = audio.length > 0 && audio.every((q) => q !== 'bad') ? this.clean + 1 : 0;
    if (this.clean < this.backoff) return undefined;
    this.resumedAt = this.tick;
    this.pausedNow = false;
    return false;
  }

  /** The person chose audio only (or video again) themselves: start afresh. */
  reset(): void {
    this.pausedNow = false;
    this.bad = 0;
    this.clean = 0;
    this.backoff = firstProbeS;
  }
}
