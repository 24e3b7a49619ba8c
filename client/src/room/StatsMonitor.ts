import { type LinkSample, rawQuality, summarizeLink } from './linkStats.js';
import { QualityBand } from './QualityBand.js';
import { type InboundSummary, jitterBufferBetween, lossBetween, type Quality, summarizeInbound } from './stats.js';

export type ConsumerStats = InboundSummary & {
  /** The steadied badge (QualityBand) from loss, round trip and jitter buffer over the last few seconds. */
  quality: Quality;
  /**
   * Loss and round trip only, what the layer governor steps on. A deep jitter buffer says the link was jittery
   * or is draining a backlog (bench S4: for seconds after a 30 kbit/s spell), not that a lower layer would help;
   * mediasoup's own estimate already keeps a congested downlink off the layers it cannot carry.
   */
  layerQuality: Quality;
  /** Loss over the window, in percent. */
  lossPercent: number;
  jitterBufferMs: number | undefined;
  /** Frames decoded since the previous sample (0 on the first): a held-back video's frames prove the link. */
  newFrames: number;
};

/** Our two transports' selected paths, sampled with the streams. */
export type LinkSamples = { send: LinkSample | undefined; recv: LinkSample | undefined };

type StatsSource = {
  consumerIds(): string[];
  stats(consumerId: string): Promise<RTCStatsReport> | undefined;
  transportStats?(direction: 'send' | 'recv'): Promise<RTCStatsReport> | undefined;
};

/** Samples compared across: loss and jitter buffer are judged over the last three seconds, not one. */
const window = 3;

/**
 * Between the seconds: while `when()` says a video is at risk, its frames decoded so far every `everyMs`
 * (DownlinkController.glance), so a frozen picture or a video coming back is seen within a quarter second.
 */
export type Glance = {
  everyMs: number;
  when: () => boolean;
  /** The videos to read (not the sound). */
  ids: () => string[];
  onFrames: (framesDecoded: Map<string, number>) => void;
};

/**
 * Samples every remote stream's inbound-rtp and both transports once per
 * interval, and rates each stream. One loop for the whole room, so tiles, the
 * layer governor and the uplink governor read the same figures.
 */
export class StatsMonitor {
  private timer: ReturnType<typeof setInterval> | undefined;
  private glanceTimer: ReturnType<typeof setInterval> | undefined;
  private history = new Map<string, InboundSummary[]>();
  private bands = new Map<string, QualityBand>();

  constructor(
    private readonly source: StatsSource,
    private readonly onSample: (stats: Map<string, ConsumerStats>, link: LinkSamples) => void,
    private readonly glance?: Glance,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    const glance = this.glance;
    if (glance) this.glanceTimer = setInterval(() => void (glance.when() ? this.frames(glance) : undefined), glance.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.glanceTimer);
    this.timer = undefined;
    this.glanceTimer = undefined;
    this.history.clear();
    this.bands.clear();
  }

  private async link(direction: 'send' | 'recv'): Promise<LinkSample | undefined> {
    const report = await this.source.transportStats?.(direction)?.catch(() => undefined);
    return report ? summarizeLink(report) : undefined;
  }

  /** One received stream's inbound-rtp, summed; undefined when its stats cannot be read (it closed meanwhile). */
  private async inbound(id: string): Promise<InboundSummary | undefined> {
    const report = await this.source.stats(id)?.catch(() => undefined);
    return report ? summarizeInbound(report) : undefined;
  }

  /** Only the frames: the other figures are judged over whole seconds. */
  private async frames(glance: Glance): Promise<void> {
    const frames = new Map<string, number>();
    await Promise.all(
      glance.ids().map(async (id) => {
        const summary = await this.inbound(id);
        if (summary) frames.set(id, summary.framesDecoded);
      }),
    );
    if (this.timer !== undefined) glance.onFrames(frames);
  }

  private async sample(): Promise<void> {
    const result = new Map<string, ConsumerStats>();
    const [send, recv] = await Promise.all([this.link('send'), this.link('recv')]);
    const ids = this.source.consumerIds();
    await Promise.all(
      ids.map(async (id) => {
        const summary = await this.inbound(id);
        if (!summary) return;
        const past = this.history.get(id) ?? [];
        const oldest = past[0];
        const loss = lossBetween(oldest, summary);
        const jitterBufferMs = jitterBufferBetween(oldest, summary);
        const band = this.bands.get(id) ?? new QualityBand();
        this.bands.set(id, band);
        const quality = band.observe(rawQuality({ loss, rttMs: recv?.rttMs, jitterBufferMs }));
        const newFrames = summary.framesDecoded - (past.at(-1)?.framesDecoded ?? summary.framesDecoded);
        const layerQuality = rawQuality({ loss, rttMs: recv?.rttMs });
        result.set(id, { ...summary, quality, layerQuality, lossPercent: loss * 100, jitterBufferMs, newFrames });
        this.history.set(id, [...past, summary].slice(-window));
      }),
    );
    for (const id of this.history.keys()) if (!ids.includes(id)) this.history.delete(id);
    for (const id of this.bands.keys()) if (!ids.includes(id)) this.bands.delete(id);
    if (this.timer !== undefined) this.onSample(result, { send, recv });
  }
}
