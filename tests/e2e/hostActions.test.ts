import { describe, expect, it } from 'vitest';
import { saveScreenshot } from '../support/browser.js';
import { useServerAndBrowser } from '../support/fixtures.js';
import { admitFromUi, openInvite, serverPeer, tileOf, waitForMediaFrom } from '../support/room.js';
import { createSession, invite } from '../support/signaling.js';

describe('host actions from the browser', () => {
  const ctx = useServerAndBrowser();

  it('mutes, stops video and removes a party; the ctx.server enforces it; the link stays closed', async () => {
    const sessionId = await createSession(ctx.server, 'mediation', '物业纠纷调解');
    const mediatorInvite = await invite(ctx.server, sessionId, 'mediator', '调解员');
    const partyInvite = await invite(ctx.server, sessionId, 'party', '孙先生');
    const mediator = await openInvite(ctx.browser, mediatorInvite.url);
    const party = await openInvite(ctx.browser, partyInvite.url);
    await party.getByTestId('waiting-room').waitFor();
    await admitFromUi(mediator, '孙先生');
    await waitForMediaFrom(mediator, ['孙先生']);
    await waitForMediaFrom(party, ['调解员']);

    // Mute: the server pauses the party's mic, the party's own button shows it, the host's tile shows it.
    await tileOf(mediator, '孙先生').getByTestId('host-mute').click();
    await expect.poll(() => party.getByTestId('mute-mic').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => tileOf(mediator, '孙先生').getAttribute('data-mic')).toBe('off');
    const peer = await serverPeer(ctx.server, sessionId, partyInvite.seatId);
    expect(peer.producerBySource('mic')?.paused).toBe(true);

    // The party may unmute themselves.
    await party.getByTestId('mute-mic').click();
    await expect.poll(() => tileOf(mediator, '孙先生').getAttribute('data-mic')).toBe('on');
    expect(peer.producerBySource('mic')?.paused).toBe(false);

    // Stop video: the camera producer is paused on the server.
    await tileOf(mediator, '孙先生').getByTestId('host-stop-video').click();
    await expect.poll(() => party.getByTestId('toggle-camera').getAttribute('aria-pressed')).toBe('true');
    expect(peer.producerBySource('camera')?.paused).toBe(true);

    // Remove: the party is told, and the same link does not get back in.
    await tileOf(mediator, '孙先生').getByTestId('host-remove').click();
    await expect.poll(() => party.getByTestId('session-message').getAttribute('data-phase')).toBe('removed');
    await expect.poll(async () => await mediator.locator('[data-testid="video-tile"][data-local="false"]').count()).toBe(0);
    const again = await openInvite(ctx.browser, partyInvite.url);
    await expect.poll(() => again.getByTestId('error-code').textContent()).toBe('REMOVED');
    await saveScreenshot(again, 'removed-party');
  });

  it('locks the session against newcomers and ends it for everyone after confirmation', async () => {
    const sessionId = await createSession(ctx.server, 'mediation', '劳务纠纷调解');
    const mediator = await openInvite(ctx.browser, (await invite(ctx.server, sessionId, 'mediator', '调解员')).url);
    const partyInvite = await invite(ctx.server, sessionId, 'party', '周女士');
    const party = await openInvite(ctx.browser, partyInvite.url);
    await party.getByTestId('waiting-room').waitFor();
    await admitFromUi(mediator, '周女士');
    await waitForMediaFrom(party, ['调解员']);

    await mediator.getByTestId('lock-session').click();
    await expect.poll(() => mediator.getByTestId('lock-session').getAttribute('aria-pressed')).toBe('true');
    const latecomer = await openInvite(ctx.browser, (await invite(ctx.server, sessionId, 'party', '迟到者')).url);
    await expect.poll(() => latecomer.getByTestId('error-code').textContent()).toBe('SESSION_LOCKED');

    await mediator.getByTestId('end-session').click();
    await mediator.getByTestId('confirm-ok').click();
    await expect.poll(() => party.getByTestId('session-message').getAttribute('data-phase')).toBe('ended');
    expect((await ctx.server.sessions.require(sessionId)).summary.status).toBe('ended');
  });
});
