import type { types } from 'mediasoup';
import { describe, expect, it } from 'vitest';
import { LayerFailover } from '../../server/media/LayerFailover.js';

/** Just enough of a mediasoup producer and consumer: per-layer packet counts, layers, and what was asked of them. */
function fakes() {
  const packets = [0, 0, 0];
  const observer = () => ({ once: () => undefined });
  const producer = {
    id: 'p',
    closed: false,
    paused: false,
    rtpParameters: { encodings: [{ rid: 'r0' }, { rid: 'r1' }, { rid: 'r2' }] },
    observer: observer(),
    getStats: async () => packets.map((packetCount, i) => ({ rid: `r${i}`, packetCount })),
  };
  const calls: string[] = [];
  const consumer = {
    id: 'c',
    type: 'simulcast',
    closed: false,
    paused: false,
    currentLayers: { spatialLayer: 1, temporalLayer: 2 } as types.ConsumerLayers | undefined,
    preferredLayers: { spatialLayer: 2, temporalLayer: 2 } as types.ConsumerLayers | undefined,
    observer: observer(),
    async setPreferredLayers(layers: types.ConsumerLayers) {
      calls.push(`prefer ${layers.spatialLayer}`);
      this.preferredLayers = layers;
    },
    async requestKeyFrame() {
      calls.push('keyframe');
    },
  };
  return { packets, producer, consumer, calls };
}

describe('simulcast layer failover', () => {
  it('moves a receiver to the highest flowing layer and asks for its keyframe within half a second', async () => {
    let now = 0;
    const failover = new LayerFailover(() => now);
    const { packets, producer, consumer, calls } = fakes();
    failover.watch(consumer as unknown as types.Consumer, producer as unknown as types.Producer);
    const tick = async (ms: number, flowing: number[]) => {
      now += ms;
      for (const i of flowing) packets[i] = (packets[i] ?? 0) + 10;
      await (failover as unknown as { poll(): Promise<void> }).poll();
    };
    await tick(250, [0, 1]);
    await tick(250, [0, 1]);
    expect(calls).toEqual([]);
    // Layer 1 (what the consumer receives) stops; layer 0 goes on.
    await tick(250, [0]);
    await tick(250, [0]);
    expect(calls).toEqual(['prefer 0', 'keyframe']);
    consumer.currentLayers = { spatialLayer: 0, temporalLayer: 2 };
    // Layer 1 comes back: the receiver gets its old preference only once layer 1 has flowed steadily.
    await tick(250, [0, 1]);
    await tick(250, [0, 1]);
    expect(calls).toHaveLength(2);
    for (let i = 0; i < 6; i++) await tick(250, [0, 1]);
    // The old preference was the top layer, which is not flowing: no restore yet.
    expect(calls).toHaveLength(2);
    for (let i = 0; i < 8; i++) await tick(250, [0, 1, 2]);
    expect(calls).toEqual(['prefer 0', 'keyframe', 'prefer 2']);
    failover.close();
  });

  it('leaves a preference the receiver changed meanwhile', async () => {
    let now = 0;
    const failover = new LayerFailover(() => now);
    const { packets, producer, consumer, calls } = fakes();
    failover.watch(consumer as unknown as types.Consumer, producer as unknown as types.Producer);
    const poll = () => (failover as unknown as { poll(): Promise<void> }).poll();
    for (let i = 0; i < 3; i++) {
      now += 250;
      packets[0] = (packets[0] ?? 0) + 10;
      await poll();
    }
    expect(calls).toEqual(['prefer 0', 'keyframe']);
    consumer.preferredLayers = { spatialLayer: 1, temporalLayer: 2 };
    for (let i = 0; i < 10; i++) {
      now += 250;
      for (const l of [0, 1, 2]) packets[l] = (packets[l] ?? 0) + 10;
      await poll();
    }
    expect(calls).toEqual(['prefer 0', 'keyframe']);
    failover.close();
  });
});
