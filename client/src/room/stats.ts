/** The inbound-rtp figures the UI needs: is media arriving, and how lossy is it. */
export type InboundSummary = {
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
  framesDecoded: number;
  /** Seconds all emitted samples spent in the jitter buffer, and how many: their ratio is the buffer's delay. */
  jitterBufferDelay?: number;
  jitterBufferEmittedCount?: number;
};

export function summarizeInbound(report: RTCStatsReport): InboundSummary {
  const total: InboundSummary = {
    bytesReceived: 0,
    packetsReceived: 0,
    packetsLost: 0,
    framesDecoded: 0,
    jitterBufferDelay: 0,
    jitterBufferEmittedCount: 0,
  };
  report.forEach((stat: { type?: string } & Partial<InboundSummary>) => {
    if (stat.type !== 'inbound-rtp') return;
    total.bytesReceived += stat.bytesReceived ?? 0;
    total.packetsReceived += stat.packetsReceived ?? 0;
    total.packetsLost += Math.max(0, stat.packetsLost ?? 0);
    total.framesDecoded += stat.framesDecoded ?? 0;
    total.jitterBufferDelay = (total.jitterBufferDelay ?? 0) + (stat.jitterBufferDelay ?? 0);
    total.jitterBufferEmittedCount = (total.jitterBufferEmittedCount ?? 0) + (stat.jitterBufferEmittedCount ?? 0);
  });
  return total;
}

export type Quality = 'good' | 'poor' | 'bad';

/**
 * HMCTS Video Hearings' bands on recent packet loss: under 10% good, 10–15%
 * poor, 15% and over bad. `previous` is the summary from the last sample, so
 * loss is measured over the interval, not since the call began.
 */
export function qualityBetween(previous: InboundSummary | undefined, current: InboundSummary): Quality {
  const loss = lossBetween(previous, current);
  if (loss < 0.1) return 'good';
  if (loss < 0.15) return 'poor';
  return 'bad';
}

/** Share of packets lost between two samples (0 when nothing was expected). */
export function lossBetween(previous: InboundSummary | undefined, current: InboundSummary): number {
  const received = current.packetsReceived - (previous?.packetsReceived ?? 0);
  const lost = current.packetsLost - (previous?.packetsLost ?? 0);
  const expected = received + lost;
  return expected <= 0 ? 0 : Math.max(0, lost) / expected;
}

/** Average jitter-buffer delay between two samples, in ms (undefined when nothing was played out). */
export function jitterBufferBetween(previous: InboundSummary | undefined, current: InboundSummary): number | undefined {
  const emitted = (current.jitterBufferEmittedCount ?? 0) - (previous?.jitterBufferEmittedCount ?? 0);
  if (emitted <= 0) return undefined;
  return (((current.jitterBufferDelay ?? 0) - (previous?.jitterBufferDelay ?? 0)) / emitted) * 1000;
}
