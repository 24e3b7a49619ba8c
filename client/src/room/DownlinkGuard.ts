import { lowestBaseFps, lowestVideoKbit, videoNeedKbit } from '../../../signaling/cameraLayers.js';
import type { ConsumerStats } from './StatsMonitor.js';
import type { Quality } from './stats.js';

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
/**
 * Dark samples (every video at most a frame a second) before video is held back: the picture is already frozen,
 * and each sample more keeps it on screen a second longer (bench S3 to the village: frozen 2.1–3.5 s with three).
 */
const darkPauseAfter = 2;
/** Between seconds, after one dark second: every video without a new frame for this long is a frozen picture (see glance). */
const glanceFrozenMs = 1250;
/** A probe that goes bad again within this many seconds counts as failed. */
const failedProbeS = 15;
/** The lowest layer and the sound, with packet overhead: what the SFU's estimate must show before video comes back. */
export const resumeKbit = lowestVideoKbit;
/** An SFU estimate older than this many samples is stale: fall back to blind probes. */
const estimateStaleAfter = 3;
/**
 * Frames a held-back video must decode in one second to count as arriving: its layer 0:0 runs at a quarter of
 * the lowest layer's rate (5 fps at 20 fps): about two thirds of that, and at least two.
 */
const steadyFrames = Math.max(2, Math.floor(lowestBaseFps * 0.6));

/**
 * An estimate of our downlink at or above what two camera layers and the sound need: if no frame arrives even so,
 * the sender's uplink starves, not ours (bench S4 from the village: the mediator's estimate read over 1 Mbit/s).
 */
export const upstreamKbit = Math.round(videoNeedKbit(2));
/**
 * An estimate three times the resume mark (282 kbit/s), after it went thin, says the link cleared even after failed
 * resumes: a thin link never reads it (S3: at most about 100), a wide lossy one hardly (S1: 115–230). UplinkRenewal
 * takes the same mark as proof that the path cleared after our uplink collapsed.
 */
export const clearedKbit = 3 * resumeKbit;

/**
 * After a resume from a spell that thinned our own link (the SFU's estimate under the resume mark while held), for
 * this many samples a bad badge at the lowest layer does not count while the estimate reads the cleared mark. The
 * badge reads loss over three samples and gets better only after three good ones, so the spell's drops (counted when
 * the first packets after it arrive) keep it bad for up to six. Bench S4 to the village: 86 % of the video packets lost in the second of the clear, none in the two after,
 * and the video, at 19–20 frames a second and an estimate of 1.4 Mbit/s, held back from the third second to the
 * seventh (the best layer at 8.2–9.2 s, three runs of eighteen). No frame at all still counts.
 */
const afterSpellSamples = 6;

/** Fewer new frames than this in a second: the video is not moving (a frozen picture), whatever its loss. */
const liveFrames = 2;

/**
 * Held-back seconds without a moving frame after which frames moving again say the path reopened: two steady seconds
 * are then proof enough, however long the back-off after failed resumes (it guards a wide but lossy link, whose
 * lowest layer never goes dark). Bench S4: no frame for the 20 s at 30 kbit/s, then 4–5 frames a second from 2.5 s
 * after the clear; the back-off's four-second proof kept the top layer unasked until 5.5 s, and the SFU's estimate,
 * app-limited at 118 kbit/s while only layer 0:0 flowed, reached 1,620 within 1.5 s of asking.
 */
const reopenAfterDark = 6;
const reopenProof = firstProbeS / 2;

/** One held-back video's last second: frames decoded at the lowest layer. */
export type HeldVideo = { frames: number };

/**
 * A held-back video is on screen only while its frames arrive steadily; otherwise its tile shows the
 * placeholder, so the person never looks at a frozen frame.
 */
export function heldVideoShows(video: HeldVideo): boolean {
  return video.frames >= steadyFrames;
}

/** What the downlink guard reads of a video that is on: its badge, and its new frames once it has shown any (not while it starts). */
export function videoSample(sample: ConsumerStats | undefined): { quality: ConsumerStats['quality']; frames?: number } {
  return { quality: sample?.quality ?? 'good', ...(sample && sample.framesDecoded > 0 ? { frames: sample.newFrames } : {}) };
}

/**
 * Decides when our downlink cannot carry video at all (S3, 100 kbit/s): every
 * received video is already at the lowest simulcast layer and still bad. Then
 * received video is held back (RoomClient: the SFU sends only the lowest
 * spatial and temporal layer, the tiles show the camera-off placeholder), so
 * the sound keeps the link.
 *
 * Video comes back when its own frames prove the link: every held-back video
 * decoded frames steadily at the lowest layer for two seconds (the SFU forwards
 * that layer as soon as its estimate carries it; bench S4: the estimate itself
 * reached the full resume mark 9-16 s after the link cleared). Or on the SFU's
 * own estimate of our downlink (its transport-cc estimate, which keeps probing
 * because the held-back consumers stay active): two samples in a row at or
 * above what the lowest layer needs. Audio alone cannot tell a link that has
 * cleared from one still too thin.
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
  /** Samples in a row in which every held-back video decoded frames steadily. */
  private proved = 0;
  /** Since the pause, the SFU's estimate has shown the link thin (it lags the loss by a few seconds). */
  private sawThin = false;
  private pausedAt = 0;
  /** Held back because the sender's frames stopped while our own downlink is wide (see `upstream`). */
  private upstreamNow = false;
  private lastEstimate: number | undefined;
  /** Held-back samples in which no video moved, since frames last moved (see reopenAfterDark). */
  private dark = 0;
  /** Frames moving again after a long dark spell (the path reopened), for as long as they keep moving. */
  private reopened = false;
  /** Some video that is on decoded fewer than four frames in the last second. */
  private fewFrames = false;
  /** Samples left in which a bad lowest layer may be the spell's memory (see afterSpellSamples). */
  private afterSpell = 0;

  get paused(): boolean {
    return this.pausedNow;
  }

  /**
   * True when the last resume came from evidence that the link cleared (frames of the lowest layer arriving,
   * or the SFU's estimate going thin and back), not a blind probe: the receiver may aim high at once.
   */
  get resumedOnEstimate(): boolean {
    return this.onEstimate;
  }

  /**
   * Held back for the sender's link, not ours: every video stopped (no frame at all, not loss) while the SFU's fresh
   * estimate of our downlink carries two layers. Then held-back video keeps every layer the person would get
   * (DownlinkController's 'held' mode): at 0:0 a village's thin camera shows a quarter of its few frames, and the
   * frames-as-proof rule took 4 s after its link cleared. It goes thin again as soon as our estimate falls.
   */
  get upstream(): boolean {
    return this.pausedNow && this.upstreamNow;
  }

  /** The SFU's bandwidth estimate towards us (notification media:downlink), kbit/s. */
  sfuEstimate(kbit: number): void {
    this.estimate = kbit;
  }

  /**
   * One second's samples: received videos that are on (with their new frames, when sampled), the audio,
   * and the held-back videos' frames.
   * Returns the new paused state when it changes.
   */
  observe(videos: { layer: number; quality: Quality; frames?: number }[], audio: Quality[], held: HeldVideo[] = []): boolean | undefined {
    this.tick++;
    const estimate = this.estimate;
    this.estimate = undefined;
    if (estimate !== undefined) {
      this.estimateAt = this.tick;
      this.lastEstimate = estimate;
    }
    const fresh = this.fresh;
    const wide = this.wide;
    const failedProbe = this.tick - this.resumedAt < failedProbeS;
    if (!this.pausedNow) {
      // No frame at all counts too: the SFU forwards no layer when its estimate is below the lowest (bench S4: at
      // 30 kbit/s no packet arrived, so no loss was seen, and the last frame stayed frozen on screen for 20 s).
      // A frame a second or none is a frozen picture too (bench S3: 1, 1, 0, 0 frames before the hold, frozen 3.2 s).
      const dark = (v: { frames?: number }) => v.frames !== undefined && v.frames < liveFrames;
      const spellMemory = this.afterSpell > 0 && fresh && (this.lastEstimate ?? 0) >= clearedKbit;
      if (this.afterSpell > 0) this.afterSpell--;
      const starved = videos.length > 0 && videos.every((v) => dark(v) || (v.layer === 0 && v.quality === 'bad' && !spellMemory));
      this.bad = starved ? this.bad + 1 : 0;
      this.fewFrames = videos.some((v) => v.frames !== undefined && v.frames < 2 * liveFrames);
      const frozen = videos.every(dark);
      if (this.bad < (failedProbe ? probePauseAfter : frozen ? darkPauseAfter : pauseAfter)) return undefined;
      return this.hold(wide && frozen);
    }
    // Frames of the lowest layer arriving steadily prove the link carries it; after a failed resume, for longer (2, then 4 s).
    this.proved = held.length > 0 && held.every(heldVideoShows) ? this.proved + 1 : 0;
    // Frames moving after a long dark spell: the path reopened, for as long as they keep moving.
    const moving = held.length > 0 && held.every((h) => h.frames >= liveFrames);
    this.reopened = moving && (this.reopened || this.dark >= reopenAfterDark);
    if (moving) this.dark = 0;
    else if (held.length > 0 && held.every((h) => h.frames < liveFrames)) this.dark++;
    // Unless a fresh estimate still reads thin: frames may trickle through a link that is still too thin, and the
    // estimate's own climb then says when it cleared (clearedKbit).
    const thinNow = fresh && (this.lastEstimate ?? 0) < resumeKbit;
    // Our own link is wide: a thin estimate ends that (hold back thin); frames arriving steadily end the hold at once.
    if (this.upstreamNow && !wide) this.upstreamNow = false;
    if (this.upstreamNow && this.proved >= 1) return this.resume(true);
    if (this.proved >= this.backoff / 2 || (this.reopened && !thinNow && this.proved >= reopenProof)) return this.resume(true);
    // The sender's link starves, not ours: its frames decide, and a wide estimate of ours proves nothing (bench S4: a
    // blind resume at the clear put the mediator's view back on with no frame for 1.3 s before it was held back again).
    if (this.upstreamNow) return undefined;
    if (fresh) {
      // A sample without a fresh estimate (a late notification) neither counts nor breaks the run.
      if (estimate !== undefined) this.fits = estimate >= resumeKbit ? this.fits + 1 : 0;
      if (estimate !== undefined && estimate < resumeKbit) this.sawThin = true;
      // Right after the pause the estimate may still show the link as it was: wait until it has seen the
      // link thin, or, on a wide but lossy link where it never will, for the longest probe interval.
      if (!this.sawThin && this.tick - this.pausedAt < lastProbeS) return undefined;
      // After a resume that failed (a wide but lossy link), the estimate must hold longer: 2, then 4 samples.
      // Unless it went thin and now reads three times the mark: the link cleared (bench S4: 30 → 332 → 1,328 kbit/s in
      // the SFU's climb after the clear, while the longer back-off kept the placeholder up until the sixth second).
      const cleared = this.sawThin && estimate !== undefined && estimate >= clearedKbit;
      if (this.fits < this.backoff / 2 && !cleared) return undefined;
      // Only an estimate that went thin and came back says the link cleared; the 8 s fallback is a probe.
      return this.resume(this.sawThin);
    }
    // Audio merely 'poor' does not hold the probe back: after a congested spell the jitter buffer shrinks
    // slowly and kept audio 'poor' long after the link cleared (bench S4, video paused for 20 s).
    this.clean = audio.length > 0 && audio.every((q) => q !== 'bad') ? this.clean + 1 : 0;
    if (this.clean < this.backoff) return undefined;
    return this.resume(false);
  }

  /**
   * Whether a held-back video is on screen now: its frames arrive steadily, or, once the path reopened after a long
   * dark spell, they move at all. Bench S4: layer 0:0's first frames after the clear came 2 in the client's first
   * second, and waiting for 3 kept the placeholder up one more second (video back at 3.6 s).
   */
  shows(video: HeldVideo): boolean {
    return heldVideoShows(video) || (this.reopened && video.frames >= liveFrames);
  }

  /** The person chose audio only (or video again) themselves: start afresh. */
  reset(): void {
    this.pausedNow = false;
    this.upstreamNow = false;
    this.bad = 0;
    this.clean = 0;
    this.fits = 0;
    this.proved = 0;
    this.dark = 0;
    this.reopened = false;
    this.fewFrames = false;
    this.afterSpell = 0;
    this.backoff = firstProbeS;
  }

  /**
   * Between seconds (DownlinkController's glances while a video is at risk): `videos` are the videos that are on,
   * with the time since each one's last new frame; `held`, the held-back ones' frames within the last second.
   * After one dark second, every video frozen for 1.25 s holds video back now rather than at the next second's
   * sample (bench S3: with one-second samples the placeholder came 1–2 s after the last frame, freezes 1.7–2.3 s).
   * Returns true when it holds back. Held back after a long dark spell, frames moving again mark the path
   * reopened at once (shows() then puts them on screen), not at the next sample (bench S4: up to a second later).
   */
  glance(videos: { sinceFrameMs: number | undefined }[], held: HeldVideo[]): true | undefined {
    if (this.pausedNow) {
      const moving = held.length > 0 && held.every((h) => h.frames >= liveFrames);
      if (moving && this.dark >= reopenAfterDark) this.reopened = true;
      return undefined;
    }
    const frozen = videos.length > 0 && videos.every((v) => v.sinceFrameMs !== undefined && v.sinceFrameMs >= glanceFrozenMs);
    if (this.bad < 1 || !frozen) return undefined;
    return this.hold(this.wide);
  }

  /**
   * Whether glances between seconds are worth their stats calls: video held back, a starved second so far, or a video
   * that decoded few frames in the last one (glancing from then on dates its last frame to a quarter second).
   */
  get atRisk(): boolean {
    return this.pausedNow || this.bad > 0 || this.fewFrames;
  }

  /** The SFU's estimate of our downlink is recent enough to count. */
  private get fresh(): boolean {
    return this.tick - this.estimateAt <= estimateStaleAfter;
  }

  /** Our own downlink carries two layers by the SFU's fresh estimate: a frozen picture is the sender's starving link. */
  private get wide(): boolean {
    return this.fresh && (this.lastEstimate ?? 0) >= upstreamKbit;
  }

  /** Holds received video back; `upstream` when the sender's link starves, not ours (see `upstream`). */
  private hold(upstream: boolean): true {
    const failedProbe = this.tick - this.resumedAt < failedProbeS;
    this.upstreamNow = upstream;
    this.bad = 0;
    this.clean = 0;
    this.fits = 0;
    this.proved = 0;
    this.sawThin = false;
    this.dark = 0;
    this.reopened = false;
    this.afterSpell = 0;
    this.pausedAt = this.tick;
    this.backoff = failedProbe ? Math.min(this.backoff * 2, lastProbeS) : firstProbeS;
    this.pausedNow = true;
    return true;
  }

  private resume(onEstimate: boolean): false {
    this.resumedAt = this.tick;
    this.afterSpell = this.sawThin ? afterSpellSamples : 0;
    this.onEstimate = onEstimate;
    this.pausedNow = false;
    this.upstreamNow = false;
    return false;
  }
}
