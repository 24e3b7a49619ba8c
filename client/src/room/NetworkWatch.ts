import { rawQuality } from './linkStats.js';
import { QualityBand } from './QualityBand.js';
import type { ConsumerStats, LinkSamples } from './StatsMonitor.js';
import type { Quality } from './stats.js';
import { type UplinkDecision, UplinkGovernor } from './UplinkGovernor.js';

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

/**
 * Folds each second's samples into our own connection's state: a steadied
 * badge over loss, round trip, jitter buffer and the uplink estimate, and the
 * uplink governor's decision for what we send.
 */
export class NetworkWatch {
  private readonly band = new QualityBand();
  private readonly uplink = new UplinkGovernor();
  private badVideo = 0;

  /** Returns our state, and an uplink decision when what we send should change. */
  observe(stats: Map<string, ConsumerStats>, link: LinkSamples): { state: NetworkState; uplink: UplinkDecision | undefined } {
    const streams = [...stats.values()];
    const loss = streams.reduce((worst, s) => Math.max(worst, s.lossPercent / 100), 0);
    const jitterBufferMs = streams.reduce<number | undefined>((worst, s) => Math.max(worst ?? 0, s.jitterBufferMs ?? 0), undefined);
    const rttMs = link.recv?.rttMs ?? link.send?.rttMs;
    const uplinkKbit = link.send?.outgoingKbit;
    const quality = this.band.observe(rawQuality({ loss, rttMs, jitterBufferMs, outgoingKbit: uplinkKbit }));
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
}
