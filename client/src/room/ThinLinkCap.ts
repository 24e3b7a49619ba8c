import { resumeKbit } from './DownlinkGuard.js';

/** All three temporal layers of L1T3: the camera's full rate (20 fps at the lowest layer). */
export const topTemporal = 2;
/**
 * On a thin downlink: two of three temporal layers, half the frame rate (10 fps at the lowest layer) and about
 * 60 % of its bitrate (libwebrtc splits three temporal layers 40/20/40 %): 30 of its 50 kbit/s.
 */
export const thinTemporal = 1;
/** Thin estimates in a row before the cap; estimates that fit in a row before it is lifted (hysteresis). */
const capAfter = 2;
const liftAfter = 3;
/** Seconds without an estimate after which the cap is lifted: no evidence of a thin link, as before the cap. */
const staleAfter = 5;

/**
 * Caps received video while the SFU's estimate of our downlink (`media:downlink`) is below what the full lowest
 * layer and the sound need (DownlinkGuard's resume mark, 94 kbit/s): the temporal layer (from the start), and,
 * once the estimates have shown the link thin, the spatial layer too (`thinLink`).
 *
 * Why: mediasoup divides its estimate among the video consumers only. On a 100 kbit/s village link (bench
 * S3) it moved the village to layer 0:2 (all 50 kbit/s of the lowest layer) as soon as its estimate read
 * 64 kbit/s, but the mediator's 32 kbit/s Opus shares the link: it overflowed, the estimate fell back and the
 * picture froze 3.3 s. Capped at 0:1 the video takes about 30 kbit/s and fits beside the sound.
 */
export class ThinLinkCap {
  // Capped from the start: the SFU begins from its initial 600 kbit/s estimate, and uncapped a village froze
  // 3.0-3.3 s before the estimates came down (bench S3, 2 of 3 runs; capped 1.1-1.2 s). A clean link lifts it in 3 s.
  private capped = true;
  /** Capped because the estimates showed the link thin (not merely from the start). */
  private thinSeen = false;
  private thin = 0;
  private fits = 0;
  private sinceEstimate = 0;

  /** The highest temporal layer to ask for now. */
  get temporalLayer(): number {
    return this.capped ? thinTemporal : topTemporal;
  }

  /**
   * The estimates show a thin link: ask for the lowest spatial layer too. mediasoup applies the preferred temporal
   * layer only at the preferred spatial layer; below it, it takes every temporal layer its estimate allows (bench
   * S3: the village moved to 0:2 at a 30–49 kbit/s estimate with 2:1 preferred, and its video stopped).
   */
  get thinLink(): boolean {
    return this.capped && this.thinSeen;
  }

  /** One second: the SFU's estimate of our downlink if one came (kbit/s). Returns the new layer when it changes. */
  observe(estimateKbit: number | undefined): number | undefined {
    const before = this.capped;
    if (estimateKbit === undefined) {
      if (++this.sinceEstimate >= staleAfter) this.lift();
    } else {
      this.sinceEstimate = 0;
      const fits = estimateKbit >= resumeKbit;
      this.thin = fits ? 0 : this.thin + 1;
      this.fits = fits ? this.fits + 1 : 0;
      if (this.thin >= capAfter) {
        this.capped = true;
        this.thinSeen = true;
      }
      if (this.fits >= liftAfter) this.lift();
    }
    return this.capped === before ? undefined : this.temporalLayer;
  }

  /**
   * The downlink guard resumed on evidence that the link cleared, with an estimate well above the mark: lift the cap
   * now rather than after three more estimates (bench S4: 210 → 840 → 1,417 kbit/s kept 0:1 two seconds longer).
   */
  cleared(): void {
    this.lift();
    this.fits = 0;
  }

  private lift(): void {
    this.capped = false;
    this.thinSeen = false;
    this.thin = 0;
  }
}
