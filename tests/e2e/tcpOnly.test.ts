import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, saveScreenshot } from '../support/browser.js';
import { admitFromUi, openInvite, serverPeer, waitForMediaFrom } from '../support/room.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createSession, invite } from '../support/signaling.js';
import { createVillage, type Village } from '../support/village.js';

/**
 * A village legal-service room behind a firewall that drops all UDP: its
 * browser runs in its own network namespace where nftables drops every UDP
 * packet, and must reach the SFU over the worker's TCP port.
 */
describe('party on a UDP-blocked network', () => {
  let village: Village;
  let server: TestServer;
  let office: Browser;
  let villageBrowser: Browser;
  beforeAll(async () => {
    village = createVillage();
    village.blockUdp();
    server = await startTestServer({ HOST: '0.0.0.0', RTC_LISTEN_IP: '0.0.0.0', RTC_ANNOUNCED_IP: village.hostIp });
    const origin = `http://${village.hostIp}:${server.port}`;
    office = await launchChromium([`--unsafely-treat-insecure-origin-as-secure=${origin}`]);
    villageBrowser = await village.launchBrowser([], origin);
  });
  afterAll(async () => {
    await villageBrowser?.close();
    await office?.close();
    await server?.stop();
    village?.close();
  });

  it('connects over the worker TCP port and exchanges media both ways', async () => {
    const sessionId = await createSession(server, 'mediation', '流动法庭调解');
    const mediatorInvite = await invite(server, sessionId, 'mediator', '调解员');
    const partyInvite = await invite(server, sessionId, 'party', '村民老刘');
    const viaVillageLink = (url: string) => url.replace(/^http:\/\/[^/]+/, `http://${village.hostIp}:${server.port}`);
    const mediator = await openInvite(office, viaVillageLink(mediatorInvite.url));
    const party = await (await villageBrowser.newContext()).newPage();
    await party.goto(viaVillageLink(partyInvite.url));
    // The self-test notices that only TCP gets through, says so, and rates the line Okay.
    await expect.poll(() => party.getByTestId('network-result').getAttribute('data-protocol'), { timeout: 20_000 }).toBe('tcp');
    expect(await party.getByTestId('selftest-verdict').getAttribute('data-verdict')).toBe('okay');
    expect(await party.getByTestId('network-result').innerText()).toContain('UDP 被拦截');
    await saveScreenshot(party, 'selftest-udp-blocked');
    await party.getByTestId('join-button').click();
    await party.getByTestId('waiting-room').waitFor();
    // The host sees that verdict in the waiting list.
    const entry = mediator.locator('[data-testid="waiting-entry"][data-name="村民老刘"]');
    await expect.poll(() => entry.getAttribute('data-verdict')).toBe('okay');
    await admitFromUi(mediator, '村民老刘');

    await waitForMediaFrom(mediator, ['村民老刘']);
    await waitForMediaFrom(party, ['调解员']);

    const partyTransports = [...(await serverPeer(server, sessionId, partyInvite.seatId)).transports.values()];
    expect(partyTransports).toHaveLength(2);
    for (const t of partyTransports) {
      expect(t.iceSelectedTuple?.protocol).toBe('tcp');
      expect(t.iceSelectedTuple?.remoteIp).toBe(village.villageIp);
    }
    const officeTransports = [...(await serverPeer(server, sessionId, mediatorInvite.seatId)).transports.values()];
    for (const t of officeTransports) expect(t.iceSelectedTuple?.protocol).toBe('udp');
  });
});
