import type { types } from 'mediasoup';
import type { ConsumerAppData } from './MediaPeer.js';

/*
 * A simulcast consumer held below the layer its receiver asks for, and mediasoup's own hold on it: what the SFU's
 * downlink estimate (DownlinkEstimate) probes for and releases.
 */

/** What forwardedBelowAsked reads of a mediasoup Consumer. */
type ConsumerLayers = Pick<types.Consumer, 'kind' | 'type' | 'paused' | 'producerPaused' | 'score' | 'preferredLayers' | 'currentLayers'>;

/**
 * A simulcast video forwarded below the spatial layer the receiver asks for, while its sender sends that layer
 * (a layer counts as sent while mediasoup scores its stream above 0): the estimate holds it down (DownlinkEstimate's HeldDown).
 */
export function forwardedBelowAsked(consumer: ConsumerLayers): boolean {
  if (consumer.kind !== 'video' || consumer.type !== 'simulcast' || consumer.paused || consumer.producerPaused) return false;
  const sent = consumer.score.producerScores.reduce((top, score, layer) => (score > 0 ? layer : top), -1);
  const asked = Math.min(consumer.preferredLayers?.spatialLayer ?? sent, sent);
  return (consumer.currentLayers?.spatialLayer ?? -1) < asked;
}

/** mediasoup's SimulcastConsumer holds higher layers back this long after a bandwidth downgrade (BweDowngradeConservativeMs). */
const downgradeHoldMs = 10_000;

/**
 * Pauses and resumes each held-down video that mediasoup moved down within its hold (appData.downgradedAt): only a
 * pause ends that hold (DownlinkEstimate's releaseAfterS). Not one held down for another reason: the pause costs a
 * key frame from its sender (bench S1: a release of a video whose sender had dropped a layer froze the mediator's
 * view 1.5 s). One whose receiver asked for a pause meanwhile stays paused. Returns the ids released.
 */
export async function releaseHeldDown(
  consumers: Iterable<ConsumerLayers & Pick<types.Consumer<ConsumerAppData>, 'id' | 'closed' | 'appData' | 'pause' | 'resume'>>,
  now = Date.now(),
): Promise<string[]> {
  const released: string[] = [];
  const held = (consumer: ConsumerLayers & { appData: ConsumerAppData }) =>
    forwardedBelowAsked(consumer) && now - (consumer.appData.downgradedAt ?? Number.NEGATIVE_INFINITY) < downgradeHoldMs;
  for (const consumer of [...consumers].filter(held)) {
    await consumer.pause();
    if (!consumer.appData.pausedByReceiver && !consumer.closed) await consumer.resume();
    released.push(consumer.id);
  }
  return released;
}

/**
 * Notes when mediasoup moves a consumer down from a spatial layer at or below the one asked for: the downgrade after
 * which its SimulcastConsumer holds higher layers back for 10 s (releaseHeldDown acts only then).
 */
export function watchDowngrades(
  consumer: Pick<types.Consumer<ConsumerAppData>, 'observer' | 'currentLayers' | 'preferredLayers' | 'appData'>,
): void {
  let spatial = consumer.currentLayers?.spatialLayer;
  consumer.observer.on('layerschange', (layers) => {
    const next = layers?.spatialLayer;
    if (spatial !== undefined && next !== undefined && next < spatial && spatial <= (consumer.preferredLayers?.spatialLayer ?? -1))
      consumer.appData.downgradedAt = Date.now();
    spatial = next;
  });
}
