import { describe, expect, it } from 'vitest';
import { saveScreenshot } from '../support/browser.js';
import { useVillage } from '../support/fixtures.js';
import { admitFromUi, openInvite, openPage, serverPeer, waitForMediaFrom } from '../support/room.js';
import { createSession, invite } from '../support/signaling.js';

/**
 * A village legal-service room behind a firewall that drops all UDP: its
 * browser runs in its own network namespace whose emulated link drops every UDP
 * packet both ways, and must reach the SFU over the worker's TCP port.
 */
describe('party on a UDP-blocked network', () => {
  const v = useVillage((village) => village.blockUdp());

  it('connects over the worker TCP port and exchanges media both ways', async () => {
    const sessionId = await createSession(v.server, 'mediation', '流动法庭调解');
    const mediatorInvite = await invite(v.server, sessionId, 'mediator', '调解员');
    const partyInvite = await invite(v.server, sessionId, 'party', '村民老刘');
    const mediator = await openInvite(v.office, v.reachable(mediatorInvite.url));
    const party = await openPage(v.villageBrowser, v.reachable(partyInvite.url));
    // The self-test notices that only TCP gets through, says so, and rates the line Okay.
    await expect.poll(() => party.getByTestId('network-result').getAttribute('data-protocol'), { timeout: 20_000 }).toBe('tcp');
    // The verdict waits for the speaker answer.
    await party.getByTestId('speaker-heard').click();
    await expect.poll(() => party.getByTestId('selftest-verdict').getAttribute('data-verdict')).toBe('okay');
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

    const partyTransports = [...(await serverPeer(v.server, sessionId, partyInvite.seatId)).transports.values()];
    expect(partyTransports).toHaveLength(2);
    for (const t of partyTransports) {
      expect(t.iceSelectedTuple?.protocol).toBe('tcp');
      expect(t.iceSelectedTuple?.remoteIp).toBe(v.village.villageIp);
    }
    const officeTransports = [...(await serverPeer(v.server, sessionId, mediatorInvite.seatId)).transports.values()];
    for (const t of officeTransports) expect(t.iceSelectedTuple?.protocol).toBe('udp');
  });
});
