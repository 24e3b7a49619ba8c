import { DownlinkGuard, resumeKbit, videoSample } from './DownlinkGuard.js';
import { FrameClock } from './FrameClock.js';
import { LayerGovernor, topLayer } from './LayerGovernor.js';
import type { RemoteMedia, VideoMode } from './MediaSession.js';
import type { ConsumerStats, Glance } from './StatsMonitor.js';
import { ThinLinkCap, topTemporal } from './ThinLinkCap.js';

/** The part of MediaSession the controller drives (a fake in unit tests). */
export type DownlinkMedia = {
  videoMode(consumerId: string): VideoMode | undefined;
  setVideoMode(consumerId: string, mode: VideoMode, spatialLayer: number, temporalLayer: number): Promise<void>;
  showHeld(consumerId: string, shown: boolean): void;
  preferLayer(consumerId: string, spatialLayer: number, temporalLayer: number): Promise<void>;
};

/** What the controller reads of the room each second: the current media, the received streams, the person's choice. */
export type DownlinkView = {
  media: () => DownlinkMedia | undefined;
  remote: () => readonly RemoteMedia[];
  audioOnly: () => boolean;
};

/**
 * An estimate this far above the guard's mark at a resume on evidence says the link cleared: the thin-link cap goes at
 * once. S3's 100 kbit/s link never reads it (at most about 100).
 */
const capLiftKbit = 2 * resumeKbit;

/** Glances between seconds, while a video is at risk: a quarter second (a frame or two of the lowest layer). */
const glanceMs = 250;

/** One second's outcome for the snapshot: the layer asked for per video, and whether received video is hidden for the link. */
export type DownlinkOutcome = { layers: Record<string, number>; hidden: boolean };

/**
 * What we receive, decided once a second from the received streams' stats: the
 * simulcast layer per video (LayerGovernor), holding video back when the link
 * cannot carry even the lowest layer and bringing it back (DownlinkGuard), and
 * the mode each video's consumer is in, and the temporal layer on a thin
 * downlink (ThinLinkCap). RoomClient only wires it to the stats
 * loop and the SFU's `media:downlink` notification.
 */
export class DownlinkController {
  private readonly governor = new LayerGovernor();
  private readonly guard = new DownlinkGuard();
  private readonly cap = new ThinLinkCap();
  /** The SFU's last estimate, until the next second's sample reads it. */
  private estimate: number | undefined;
  /** The layers last asked for per video, "spatial:temporal" (the SFU starts each consumer at the top). */
  private readonly asked = new Map<string, string>();
  /** The SFU's latest estimate (kbit/s). */
  private latest: number | undefined;

  /** Whether received video is hidden for the link, as last said (the snapshot's videoPausedForLink). */
  private hidden = false;
  /** When each video last decoded a frame, between the seconds too (see glance). */
  private readonly clock = new FrameClock();

  constructor(
    private readonly view: DownlinkView,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether a glance between the stats loop's seconds could change anything now (DownlinkGuard.atRisk). */
  get glancing(): boolean {
    return !this.view.audioOnly() && this.guard.atRisk;
  }

  /**
   * Between seconds, while glancing: each received video's frames decoded so far. A frozen picture is held back at
   * once, and frames moving after a long dark spell go on screen at once (DownlinkGuard.glance). Returns whether
   * received video is hidden for the link, when a glance changed it.
   */
  glance(framesDecoded: ReadonlyMap<string, number>): boolean | undefined {
    if (!this.glancing) return undefined;
    const media = this.view.media();
    const at = this.now();
    const video = this.guarded();
    this.noteFrames(video, (id) => framesDecoded.get(id), at);
    const held = this.guard.paused ? video.map((r) => ({ consumerId: r.consumerId, frames: this.clock.lastSecond(r.consumerId, at) })) : [];
    const flowing = this.guard.paused ? [] : video.map((r) => ({ sinceFrameMs: this.clock.sinceFrame(r.consumerId, at) }));
    if (this.guard.glance(flowing, held)) {
      void this.applyVideoModes().catch(() => undefined);
      return this.report(true);
    }
    // Only ever put on screen here: the next second's sample takes a placeholder back up.
    const shown = held.filter((h) => this.guard.shows(h));
    for (const h of shown) media?.showHeld(h.consumerId, true);
    return held.length > 0 && shown.length === held.length ? this.report(false) : undefined;
  }

  /** Whether received video is hidden for the link, when that changed since last said (or undefined). */
  private report(hidden: boolean): boolean | undefined {
    if (hidden === this.hidden) return undefined;
    this.hidden = hidden;
    return hidden;
  }

  /** The stats loop's glances between seconds (StatsMonitor), telling `onHidden` when one changed whether video is hidden. */
  glances(onHidden: (hidden: boolean) => void): Glance {
    return {
      everyMs: glanceMs,
      when: () => this.glancing,
      ids: () => this.guarded().map((r) => r.consumerId),
      onFrames: (frames) => {
        const hidden = this.glance(frames);
        if (hidden !== undefined) onHidden(hidden);
      },
    };
  }

  /** Each watched video's frames decoded so far, read at `at`, onto the frame clock. */
  private noteFrames(video: readonly RemoteMedia[], framesDecoded: (consumerId: string) => number | undefined, at: number): void {
    for (const r of video) {
      const frames = framesDecoded(r.consumerId);
      if (frames !== undefined) this.clock.note(r.consumerId, frames, at);
    }
  }

  /** The videos the guard watches: only the person's audio-only choice takes one out of its view (see observe). */
  private guarded(): RemoteMedia[] {
    return this.view.remote().filter((r) => r.kind === 'video' && !r.producerPaused && !this.view.audioOnly());
  }

  /** The SFU's estimate of our downlink (notification media:downlink), kbit/s. */
  sfuEstimate(kbit: number): void {
    this.guard.sfuEstimate(kbit);
    this.estimate = kbit;
    this.latest = kbit;
  }

  /** Fresh transports, or the person chose audio only (or video again): start at the top layer with video on. */
  reset(): void {
    this.guard.reset();
    this.asked.clear();
  }

  /** The spatial layer to ask for: the lowest while the link is thin (ThinLinkCap.thinLink), else the governor's. */
  private spatial(consumerId: string): number {
    return this.cap.thinLink ? 0 : this.governor.layer(consumerId);
  }

  /**
   * Audio only: no video at all; the downlink guard: only the SFU's thin probe (placeholder shown), or, when the
   * sender's link starves and ours is wide, every layer with the placeholder until frames arrive ('held'); else all.
   */
  async applyVideoModes(): Promise<void> {
    const media = this.view.media();
    const mode = this.view.audioOnly() ? 'off' : this.guard.upstream ? 'held' : this.guard.paused ? 'thin' : 'on';
    for (const r of this.view.remote())
      if (r.kind === 'video' && media?.videoMode(r.consumerId) !== mode) {
        // Held back ('thin') is layer 0:0; 'off' forwards nothing.
        const [spatial, temporal] = mode === 'on' || mode === 'held' ? [this.spatial(r.consumerId), this.cap.temporalLayer] : [0, 0];
        await media?.setVideoMode(r.consumerId, mode, spatial, temporal);
        this.asked.set(r.consumerId, `${spatial}:${temporal}`);
      }
  }

  observe(stats: Map<string, ConsumerStats>): DownlinkOutcome {
    const media = this.view.media();
    const remote = this.view.remote();
    const layers: Record<string, number> = {};
    const mode = (r: RemoteMedia) => media?.videoMode(r.consumerId);
    this.cap.observe(this.estimate);
    this.estimate = undefined;
    const temporal = this.cap.temporalLayer;
    for (const r of remote) {
      const sample = stats.get(r.consumerId);
      if (r.kind !== 'video') continue;
      // Held-back or paused streams carry the lowest layer or nothing, so their loss says nothing about layers.
      const change = sample && mode(r) === 'on' && !r.producerPaused ? this.governor.observe(r.consumerId, sample.layerQuality) : undefined;
      // A new layer, or the cap moved: ask for both (a lost request is sent again next second).
      const spatial = this.spatial(r.consumerId);
      const want = `${spatial}:${temporal}`;
      if (media && mode(r) === 'on' && (change !== undefined || (this.asked.get(r.consumerId) ?? `${topLayer}:${topTemporal}`) !== want)) {
        this.asked.set(r.consumerId, want);
        void media.preferLayer(r.consumerId, spatial, temporal).catch(() => this.asked.delete(r.consumerId));
      }
      layers[r.consumerId] = this.governor.layer(r.consumerId);
    }
    const present = new Set(remote.map((r) => r.consumerId));
    this.governor.forget(present);
    for (const id of this.asked.keys()) if (!present.has(id)) this.asked.delete(id);
    // The downlink cannot carry even the lowest layer: keep the sound, pause received video (the person's own choice wins).
    // The guard's own state says which videos are held back, not the server's (a request may be held up on the link).
    // Only the person's audio-only choice takes a video out of the guard's view, not its consumer's mode: a pause whose
    // resume is held up on a collapsing link would otherwise leave a frozen frame unguarded (bench S4: 20 s).
    const video = this.guarded();
    const at = this.now();
    this.noteFrames(video, (id) => stats.get(id)?.framesDecoded, at);
    this.clock.forget(new Set(video.map((r) => r.consumerId)));
    const flowing = this.guard.paused ? [] : video;
    // Frames within the last second as the glances saw them too: a video a glance put on screen stays there.
    const frames = (id: string) => Math.max(stats.get(id)?.newFrames ?? 0, this.clock.lastSecond(id, at));
    const held = this.guard.paused ? video.map((r) => ({ ...r, frames: frames(r.consumerId) })) : [];
    const resumed =
      !this.view.audioOnly() &&
      this.guard.observe(
        flowing.map((r) => ({ layer: this.governor.layer(r.consumerId), ...videoSample(stats.get(r.consumerId)) })),
        remote.filter((r) => r.kind === 'audio').flatMap((r) => stats.get(r.consumerId)?.quality ?? []),
        held,
      ) === false;
    // Held back, a video is on screen only while its frames arrive (never a frozen frame); the banner goes with the last placeholder.
    for (const h of held) media?.showHeld(h.consumerId, this.guard.shows(h));
    // Frames or the SFU's estimate say the link cleared: aim at the top layer, mediasoup picks what its estimate carries.
    // Straight from layer 0:0, whose frames go on flowing: when mediasoup holds the consumer below the top layer after
    // a downgrade, the SFU releases it (DownlinkEstimate). A pause here cost a frameless second and a top-layer key
    // frame (bench S4: first frame 1.6 s after the estimate read 376 kbit/s).
    if (resumed && this.guard.resumedOnEstimate) {
      for (const r of remote) if (r.kind === 'video') this.governor.restart(r.consumerId);
      if ((this.latest ?? 0) >= capLiftKbit) this.cap.cleared();
    }
    // Applied again each second until it holds: a request lost on a collapsing link must not leave video paused for good.
    void this.applyVideoModes().catch(() => undefined);
    this.hidden = this.guard.paused && !(held.length > 0 && held.every((h) => this.guard.shows(h)));
    return { layers, hidden: this.hidden };
  }
}
