import { type InboundSummary, type Quality, qualityBetween, summarizeInbound } from './stats.js';

export type ConsumerStats = InboundSummary & { quality: Quality };

type StatsSource = {
  consumerIds(): string[];
  stats(consumerId: string): Promise<RTCStatsReport> | undefined;
};

/**
 * Samples every remote stream's inbound-rtp once per interval and rates each
 * by packet loss over that interval. One loop for the whole room, so tiles and
 * the layer governor read the same figures.
 */
export class StatsMonitor {
  private timer: ReturnType<typeof setInterval> | undefined;
  private previous = new Map<string, InboundSummary>();

  constructor(
    private readonly source: StatsSource,
    private readonly onSample: (stats: Map<string, ConsumerStats>) => void,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.previous.clear();
  }

  private async sample(): Promise<void> {
    const result = new Map<string, ConsumerStats>();
    const next = new Map<string, InboundSummary>();
    await Promise.all(
      this.source.consumerIds().map(async (id) => {
        const report = await this.source.stats(id)?.catch(() => undefined);
        if (!report) return;
        const summary = summarizeInbound(report);
        result.set(id, { ...summary, quality: qualityBetween(this.previous.get(id), summary) });
        next.set(id, summary);
      }),
    );
    this.previous = next;
    if (this.timer !== undefined) this.onSample(result);
  }
}
