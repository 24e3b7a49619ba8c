import { describe, expect, it } from 'vitest';
import { useVillage } from '../support/fixtures.js';
import { remoteTiles, serverPeer, waitForMediaFrom } from '../support/room.js';
import { villageMediation } from '../support/villageSession.js';

/**
 * Bench S4's throttle on a real village link: 20 s at 30 kbit/s both ways, then clean. The village's Chrome
 * collapses its uplink estimate and, after the clear, climbs back only slowly; its client moves the camera to a
 * fresh send transport (UplinkRenewal, MediaSession.renewCamera), whose new estimate probes the link at once. The
 * sound stays on its transport; the mediator receives the village's video from the new producer.
 */
describe('village uplink renewal', () => {
  const v = useVillage();

  it('moves the village camera to a fresh connection after a collapse, keeping the sound where it was', async () => {
    const { sessionId, partyInvite, mediator } = await villageMediation(v, '村民老王');
    const peer = await serverPeer(v.server, sessionId, partyInvite.seatId);
    const mic = peer.producerBySource('mic')?.id;
    const camera = peer.producerBySource('camera')?.id;
    expect(mic).toBeDefined();
    expect(camera).toBeDefined();
    const before = [...peer.transports.keys()];
    expect(before).toHaveLength(2);
    const oldTiles = (await remoteTiles(mediator)).filter((t) => t.name === '村民老王').map((t) => t.consumerId);

    await v.village.impair({ up: { rateKbit: 30 }, down: { rateKbit: 30 } });
    // Nothing moves while the link is thin: the renewal waits for proof that the path cleared.
    await mediator.waitForTimeout(20_000);
    expect(peer.producerBySource('camera')?.id ?? camera).toBe(camera);
    await v.village.restore();

    await expect.poll(() => peer.producerBySource('camera')?.id ?? camera, { timeout: 20_000 }).not.toBe(camera);
    // The sound never moved; the camera is on a transport of its own, beside the two the party had, still open.
    expect(peer.producerBySource('mic')?.id).toBe(mic);
    const open = [...peer.transports.values()].filter((t) => !t.closed);
    expect(before.every((id) => open.some((t) => t.id === id))).toBe(true);
    const carrying = await Promise.all(open.map(async (t) => ({ id: t.id, producers: (await t.dump()).producerIds })));
    const cameraNow = peer.producerBySource('camera')?.id;
    expect(carrying.find((t) => t.producers.includes(cameraNow as string))?.id).not.toBeOneOf([undefined, ...before]);
    expect(carrying.find((t) => t.producers.includes(mic as string))?.id).toBeOneOf(before);
    // The mediator sees the village from the new producer: frames on a consumer it did not have before.
    await waitForMediaFrom(mediator, ['村民老王'], { notConsumers: oldTiles });
    expect((await serverPeer(v.server, sessionId, partyInvite.seatId)).producerBySource('camera')?.paused).toBe(false);
  });
});
