/** The inbound-rtp figures the UI needs: is media arriving, and how lossy is it. */
export type InboundSummary = {
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
  framesDecoded: number;
};

export function summarizeInbound(report: RTCStatsReport): InboundSummary {
  const total: InboundSummary = { bytesReceived: 0, packetsReceived: 0, packetsLost: 0, framesDecoded: 0 };
  report.forEach((stat: { type?: string } & Partial<InboundSummary>) => {
    if (stat.type !== 'inbound-rtp') return;
    total.bytesReceived += stat.bytesReceived ?? 0;
    total.packetsReceived += stat.packetsReceived ?? 0;
    total.packetsLost += Math.max(0, stat.packetsLost ?? 0);
    total.framesDecoded += stat.framesDecoded ?? 0;
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
  const received = current.packetsReceived - (previous?.packetsReceived ?? 0);
  const lost = current.packetsLost - (previous?.packetsLost ?? 0);
  const expected = received + lost;
  if (expected <= 0) return 'good';
  const loss = lost / expected;
  if (loss < 0.1) return 'good';
  if (loss < 0.15) return 'poor';
  return 'bad';
}
