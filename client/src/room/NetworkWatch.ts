import { type LinkSample, rawQuality, receivedKbitBetween } from './linkStats.js';
import { QualityBand } from './QualityBand.js';
import type { ConsumerStats, LinkSamples } from './StatsMonitor.js';
import type { Quality } from './stats.js';
import { type UplinkDecision, UplinkGovernor } from './UplinkGovernor.js';
import { renewedStartKbit, UplinkRenewal } from './UplinkRenewal.js';

/** Our own connection, for the badge and the audio-only offer (RoomSnapshot.network). */
export type NetworkState = {
  quality: Quality;
  /** UDP is blocked and media goes over TCP: shown as "connected by fallback", not as bad. */
  fallbackTcp: boolean;
  rttMs: number | undefined;
  uplinkKbit: number | undefined;
  /** Camera simulcast layers we send (1–3). */
  sendingLayers: number;
  /** The link cannot carry video: offer the person audio only (they decide). */
  audioOnlySuggested: boolean;
  /** Received video is paused because the downlink cannot carry it (RoomClient's DownlinkGuard); audio goes on. */
  videoPausedForLink: boolean;
};

export const initialNetwork: NetworkState = {
  quality: 'good',
  fallbackTcp: false,
  rttMs: undefined,
  uplinkKbit: undefined,
  sendingLayers: 3,
  audioOnlySuggested: false,
  videoPausedForLink: false,
};

/** What one second's samples decide: our state, and what we send when it should change. */
export type NetworkOutcome = { state: NetworkState; uplink: UplinkDecision | undefined };

/**
 * Folds each second's samples into our own connection's state: a steadied
 * badge over loss, round trip, jitter buffer and the uplink estimate, the
 * uplink governor's decision for what we send; and it moves the camera to a
 * fresh connection after an uplink collapse (UplinkRenewal).
 */
export class NetworkWatch {
  private readonly band = new QualityBand();
  private uplink = new UplinkGovernor();
  private readonly renewal = new UplinkRenewal();
  private lastRecv: LinkSample | undefined;
  private badVideo = 0;

  /**
   * `renewCamera` moves the camera to a fresh send transport whose estimate starts at `startKbit`, and says whether
   * it did (MediaSession.renewCamera).
   */
  constructor(private readonly renewCamera: (startKbit: number) => Promise<boolean> = async () => false) {}

  /** The SFU's estimate of our downlink (notification media:downlink), kbit/s: after a collapse, it may move the camera at once. */
  sfuEstimate(kbit: number): void {
    if (this.renewal.sfuEstimate(kbit)) void this.renew();
  }

  observe(stats: Map<string, ConsumerStats>, link: LinkSamples): NetworkOutcome {
    const streams = [...stats.values()];
    const loss = streams.reduce((worst, s) => Math.max(worst, s.lossPercent / 100), 0);
    const jitterBufferMs = streams.reduce<number | undefined>((worst, s) => Math.max(worst ?? 0, s.jitterBufferMs ?? 0), undefined);
    const rttMs = link.recv?.rttMs ?? link.send?.rttMs;
    const uplinkKbit = link.send?.outgoingKbit;
    const quality = this.band.observe(rawQuality({ loss, rttMs, jitterBufferMs, outgoingKbit: uplinkKbit }));
    if (this.renewal.observe(uplinkKbit, receivedKbitBetween(this.lastRecv, link.recv))) void this.renew();
    this.lastRecv = link.recv;
    const uplink = this.uplink.observe(uplinkKbit);
    // What we receive counts too: every stream bad for five seconds means video is not getting through.
    this.badVideo = streams.length > 0 && streams.every((s) => s.quality === 'bad') ? this.badVideo + 1 : 0;
    return {
      state: {
        quality,
        fallbackTcp: link.send?.protocol === 'tcp' || link.recv?.protocol === 'tcp',
        rttMs,
        uplinkKbit,
        sendingLayers: this.uplink.current.layers,
        audioOnlySuggested: this.uplink.current.audioOnlySuggested || this.badVideo >= 5,
        videoPausedForLink: false,
      },
      uplink,
    };
  }

  /** Moved: the fresh connection ramps up from its start estimate with every layer allowed while it climbs. */
  private async renew(): Promise<void> {
    const moved = await this.renewCamera(renewedStartKbit).catch(() => false);
    if (!moved) {
      this.renewal.notMoved();
      return;
    }
    this.uplink = UplinkGovernor.climbing();
    this.renewal.moved();
  }
}
