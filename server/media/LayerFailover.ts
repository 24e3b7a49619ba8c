import type { types } from 'mediasoup';

/** How often the watched producers' per-layer packet counts are read. */
const pollMs = 250;
/** A layer that sent nothing for this long, while a lower one did, has stopped. */
const stalledAfterMs = 400;
/** A stopped layer must flow this long again before receivers are moved back up to it. */
const steadyAfterMs = 1500;

type LayerState = { packets: number; lastAdvance: number; flowingSince: number };
type Override = { restore: types.ConsumerLayers; applied: types.ConsumerLayers };
type Watched = { producer: types.Producer; layers: LayerState[]; consumers: Map<string, types.Consumer> };

/**
 * Moves receivers off a simulcast layer the moment its sender stops it.
 *
 * mediasoup notices a stopped layer only by its inactivity check (about two
 * seconds), so a village whose 320x180 layer stalled left everyone watching it
 * frozen for 2–3 s. This polls each simulcast producer's per-layer packet
 * counts four times a second; when the layer a consumer is receiving stops
 * while a lower one flows, the consumer is pointed at the highest flowing layer
 * and a keyframe is requested at once. When the layer flows steadily again the
 * consumer gets back the preference it had, unless someone changed it since.
 */
export class LayerFailover {
  private readonly watched = new Map<string, Watched>();
  private readonly overrides = new Map<string, Override>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Starts watching a consumer of a simulcast producer; both are forgotten when they close. */
  watch(consumer: types.Consumer, producer: types.Producer): void {
    if (consumer.type !== 'simulcast' || producer.rtpParameters.encodings === undefined) return;
    let entry = this.watched.get(producer.id);
    if (!entry) {
      const start = this.now();
      const layers = producer.rtpParameters.encodings.map(() => ({ packets: 0, lastAdvance: start, flowingSince: start }));
      entry = { producer, layers, consumers: new Map() };
      this.watched.set(producer.id, entry);
      producer.observer.once('close', () => this.watched.delete(producer.id));
    }
    entry.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => {
      entry.consumers.delete(consumer.id);
      this.overrides.delete(consumer.id);
      if (entry.consumers.size === 0) this.watched.delete(producer.id);
    });
    this.timer ??= setInterval(() => void this.poll(), pollMs);
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.watched.clear();
    this.overrides.clear();
  }

  private async poll(): Promise<void> {
    if (this.watched.size === 0) {
      this.close();
      return;
    }
    await Promise.all([...this.watched.values()].map((entry) => this.check(entry).catch(() => undefined)));
  }

  private async check(entry: Watched): Promise<void> {
    const { producer, layers } = entry;
    if (producer.closed || producer.paused) return;
    const stats = await producer.getStats();
    const now = this.now();
    const encodings = producer.rtpParameters.encodings ?? [];
    for (const stat of stats) {
      const index = encodings.findIndex((e) => (e.rid !== undefined ? e.rid === stat.rid : e.ssrc === stat.ssrc));
      const layer = layers[index];
      if (!layer) continue;
      if (stat.packetCount > layer.packets) {
        if (now - layer.lastAdvance > stalledAfterMs) layer.flowingSince = now;
        layer.lastAdvance = now;
        layer.packets = stat.packetCount;
      }
    }
    const flowing = layers.map((l) => now - l.lastAdvance <= stalledAfterMs);
    for (const consumer of entry.consumers.values()) {
      if (consumer.closed || consumer.paused) continue;
      await this.failover(consumer, flowing);
      await this.restore(consumer, layers, flowing, now);
    }
  }

  private async failover(consumer: types.Consumer, flowing: boolean[]): Promise<void> {
    const current = consumer.currentLayers?.spatialLayer;
    if (current === undefined || flowing[current]) return;
    const target = flowing.slice(0, current).lastIndexOf(true);
    // Already pointed there; the switch waits for the keyframe asked for.
    if (target < 0 || consumer.preferredLayers?.spatialLayer === target) return;
    const override = this.overrides.get(consumer.id);
    const restore = override?.restore ?? consumer.preferredLayers ?? { spatialLayer: flowing.length - 1, temporalLayer: 2 };
    const applied = { spatialLayer: target, temporalLayer: 2 };
    this.overrides.set(consumer.id, { restore, applied });
    await consumer.setPreferredLayers(applied);
    await consumer.requestKeyFrame();
  }

  private async restore(consumer: types.Consumer, layers: LayerState[], flowing: boolean[], now: number): Promise<void> {
    const override = this.overrides.get(consumer.id);
    if (!override) return;
    const preferred = consumer.preferredLayers;
    // Someone (the receiver's own layer choice) set a new preference meanwhile: that one stands.
    if (preferred?.spatialLayer !== override.applied.spatialLayer) {
      this.overrides.delete(consumer.id);
      return;
    }
    const wanted = override.restore.spatialLayer;
    for (let i = 0; i <= wanted; i++) {
      const layer = layers[i];
      if (layer && (!flowing[i] || now - layer.flowingSince < steadyAfterMs)) return;
    }
    this.overrides.delete(consumer.id);
    await consumer.setPreferredLayers(override.restore);
  }
}
