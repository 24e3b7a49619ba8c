import type { Quality } from './stats.js';

/** The selected ICE candidate pair of one transport: how we are connected and what the browser estimates. */
export type LinkSample = {
  /** 'tcp' when UDP is blocked and media goes over the SFU's TCP port. */
  protocol: 'udp' | 'tcp' | undefined;
  rttMs: number | undefined;
  /** The browser's send-side bandwidth estimate (GCC), kbit/s. */
  outgoingKbit: number | undefined;
  /** Bytes received on the path so far, and when the browser read them (ms): what our downlink delivered between two samples. */
  bytesReceived?: number;
  at?: number;
};

type Stat = {
  type?: string;
  id?: string;
  selectedCandidatePairId?: string;
  nominated?: boolean;
  state?: string;
  localCandidateId?: string;
  protocol?: string;
  currentRoundTripTime?: number;
  availableOutgoingBitrate?: number;
  bytesReceived?: number;
  timestamp?: number;
};

export function summarizeLink(report: RTCStatsReport): LinkSample {
  const stats = new Map<string, Stat>();
  let selectedId: string | undefined;
  report.forEach((stat: Stat) => {
    if (stat.id) stats.set(stat.id, stat);
    if (stat.type === 'transport' && stat.selectedCandidatePairId) selectedId = stat.selectedCandidatePairId;
  });
  const pair =
    (selectedId ? stats.get(selectedId) : undefined) ??
    [...stats.values()].find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
  if (!pair) return { protocol: undefined, rttMs: undefined, outgoingKbit: undefined };
  const local = pair.localCandidateId ? stats.get(pair.localCandidateId) : undefined;
  return {
    protocol: local?.protocol === 'tcp' ? 'tcp' : local?.protocol === 'udp' ? 'udp' : undefined,
    rttMs: pair.currentRoundTripTime === undefined ? undefined : pair.currentRoundTripTime * 1000,
    outgoingKbit: pair.availableOutgoingBitrate === undefined ? undefined : pair.availableOutgoingBitrate / 1000,
    ...(pair.bytesReceived !== undefined && pair.timestamp !== undefined ? { bytesReceived: pair.bytesReceived, at: pair.timestamp } : {}),
  };
}

/** What the path delivered between two samples of it (kbit/s), or undefined when they are not two readings of one path. */
export function receivedKbitBetween(before: LinkSample | undefined, after: LinkSample | undefined): number | undefined {
  if (before?.bytesReceived === undefined || after?.bytesReceived === undefined || before.at === undefined || after.at === undefined)
    return undefined;
  const bytes = after.bytesReceived - before.bytesReceived;
  const ms = after.at - before.at;
  // A new transport counts from zero again.
  return bytes >= 0 && ms > 0 ? (bytes * 8) / ms : undefined;
}

export type QualityInputs = {
  /** Share of packets lost over the last few seconds, 0..1. */
  loss: number;
  rttMs?: number;
  /** Average time audio waits in the jitter buffer: over TCP it grows while loss stays near 0. */
  jitterBufferMs?: number;
  /** Our uplink estimate; only for our own connection's badge. */
  outgoingKbit?: number;
};

/**
 * One band from everything that makes a call hard to follow. Loss uses HMCTS
 * Video Hearings' bands (< 10 % good, < 15 % poor); a half-second jitter buffer
 * or round trip is poor however clean the loss figure looks.
 */
export function rawQuality({ loss, rttMs = 0, jitterBufferMs = 0, outgoingKbit }: QualityInputs): Quality {
  const bands: Quality[] = [loss < 0.1 ? 'good' : loss < 0.15 ? 'poor' : 'bad'];
  bands.push(rttMs < 400 ? 'good' : rttMs < 1000 ? 'poor' : 'bad');
  bands.push(jitterBufferMs < 250 ? 'good' : jitterBufferMs < 800 ? 'poor' : 'bad');
  if (outgoingKbit !== undefined) bands.push(outgoingKbit >= 200 ? 'good' : outgoingKbit >= 60 ? 'poor' : 'bad');
  return bands.includes('bad') ? 'bad' : bands.includes('poor') ? 'poor' : 'good';
}
