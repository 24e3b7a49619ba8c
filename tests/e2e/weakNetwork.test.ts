import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, saveScreenshot } from '../support/browser.js';
import { admitFromUi, openInvite, serverPeer, tileOf, waitForMediaFrom } from '../support/room.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createSession, invite } from '../support/signaling.js';
import { createVillage, type Village } from '../support/village.js';

/**
 * A village party on a lossy link (netem on a real veth pair into a network
 * namespace). Their client must step down to a lower simulcast layer while
 * the loss lasts, come back up when it clears, and be able to drop to audio only.
 */
describe('village party on a weak network', () => {
  let village: Village;
  let server: TestServer;
  let office: Browser;
  let villageBrowser: Browser;
  beforeAll(async () => {
    village = createVillage();
    server = await startTestServer({ HOST: '0.0.0.0', RTC_LISTEN_IP: '0.0.0.0', RTC_ANNOUNCED_IP: village.hostIp });
    const origin = `http://${village.hostIp}:${server.port}`;
    office = await launchChromium([`--unsafely-treat-insecure-origin-as-secure=${origin}`]);
    villageBrowser = await village.launchBrowser([], origin);
  });
  afterAll(async () => {
    village?.restore();
    await villageBrowser?.close();
    await office?.close();
    await server?.stop();
    village?.close();
  });

  it('drops to a lower video layer under loss, recovers, and can go audio-only', async () => {
    const sessionId = await createSession(server, 'mediation', '山区巡回调解');
    const mediatorInvite = await invite(server, sessionId, 'mediator', '调解员');
    const partyInvite = await invite(server, sessionId, 'party', '村民老张');
    const viaHost = (url: string) => url.replace(/^http:\/\/[^/]+/, `http://${village.hostIp}:${server.port}`);
    const mediator = await openInvite(office, viaHost(mediatorInvite.url));
    const party = await openInvite(villageBrowser, viaHost(partyInvite.url));
    await party.getByTestId('waiting-room').waitFor();
    await admitFromUi(mediator, '村民老张');
    await waitForMediaFrom(party, ['调解员']);
    await waitForMediaFrom(mediator, ['村民老张']);

    const partyPeer = await serverPeer(server, sessionId, partyInvite.seatId);
    const mediatorVideoAtParty = () => [...partyPeer.consumers.values()].find((c) => c.kind === 'video');
    expect(mediatorVideoAtParty()?.preferredLayers?.spatialLayer).toBe(2);

    // 35% loss on everything the village receives.
    village.degradeDownlink({ lossPercent: 35 });
    await expect.poll(() => tileOf(party, '调解员').getAttribute('data-quality'), { timeout: 20_000 }).not.toBe('good');
    await expect.poll(async () => Number(await tileOf(party, '调解员').getAttribute('data-layer')), { timeout: 20_000 }).toBeLessThan(2);
    await expect.poll(() => mediatorVideoAtParty()?.preferredLayers?.spatialLayer ?? 2, { timeout: 5_000 }).toBeLessThan(2);
    await saveScreenshot(party, 'weak-network-degraded');

    // The loss clears; the client climbs back to the top layer.
    village.restore();
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
