import { describe, expect, it } from 'vitest';
import { saveScreenshot } from '../support/browser.js';
import { useVillage } from '../support/fixtures.js';
import { serverPeer, tileOf } from '../support/room.js';
import { villageMediation } from '../support/villageSession.js';

/**
 * A village party on a lossy link (the userspace link emulator between the host
 * and a network namespace: every packet, signalling included, is at risk). Their client must step down to a lower simulcast layer while
 * the loss lasts, come back up when it clears, and be able to drop to audio only.
 */
describe('village party on a weak network', () => {
  const v = useVillage();

  it('drops to a lower video layer under loss, recovers, and can go audio-only', async () => {
    const { sessionId, partyInvite, party } = await villageMediation(v, '村民老张');

    const partyPeer = await serverPeer(v.server, sessionId, partyInvite.seatId);
    const mediatorVideoAtParty = () => [...partyPeer.consumers.values()].find((c) => c.kind === 'video');
    expect(mediatorVideoAtParty()?.preferredLayers?.spatialLayer).toBe(2);

    // 35% loss on everything the village receives.
    await v.village.degradeDownlink({ lossPercent: 35 });
    await expect.poll(() => tileOf(party, '调解员').getAttribute('data-quality'), { timeout: 20_000 }).not.toBe('good');
    await expect.poll(async () => Number(await tileOf(party, '调解员').getAttribute('data-layer')), { timeout: 20_000 }).toBeLessThan(2);
    await expect.poll(() => mediatorVideoAtParty()?.preferredLayers?.spatialLayer ?? 2, { timeout: 5_000 }).toBeLessThan(2);
    await saveScreenshot(party, 'weak-network-degraded');

    // The loss clears; the client climbs back to the top layer.
    await v.village.restore();
    await expect.poll(async () => Number(await tileOf(party, '调解员').getAttribute('data-layer')), { timeout: 40_000 }).toBe(2);
    await expect.poll(() => mediatorVideoAtParty()?.preferredLayers?.spatialLayer, { timeout: 5_000 }).toBe(2);

    // Audio only: the party stops sending and receiving video, keeps the sound.
    await party.getByTestId('audio-only').click();
    await expect.poll(() => partyPeer.producerBySource('camera')?.paused).toBe(true);
    await expect.poll(() => mediatorVideoAtParty()?.paused).toBe(true);
    expect([...partyPeer.consumers.values()].find((c) => c.kind === 'audio')?.paused).toBe(false);
    await party.getByTestId('audio-only').click();
    await expect.poll(() => mediatorVideoAtParty()?.paused).toBe(false);
    await expect.poll(() => partyPeer.producerBySource('camera')?.paused).toBe(false);
  });
});
