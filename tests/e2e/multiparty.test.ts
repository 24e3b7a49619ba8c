import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot } from '../support/browser.js';
import { useServerAndBrowser } from '../support/fixtures.js';
import { dropSocketOf, remoteTiles, serverPeer, socketsOf, waitForMediaFrom } from '../support/room.js';
import { createSession, type Invite, invite } from '../support/signaling.js';

describe('multi-party session in Chromium', () => {
  const ctx = useServerAndBrowser();

  async function open(inv: Invite): Promise<Page> {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await page.goto(inv.url);
    await page.getByTestId('join-button').click();
    return page;
  }

  it('a mediator admits two parties, everyone sees and hears the others, and a dropped party comes back', async () => {
    const sessionId = await createSession(ctx.server, 'mediation', '宅基地纠纷调解');
    const mediatorInvite = await invite(ctx.server, sessionId, 'mediator', '李调解员');
    const partyAInvite = await invite(ctx.server, sessionId, 'party', '王大爷');
    const partyBInvite = await invite(ctx.server, sessionId, 'party', '赵女士');

    const mediator = await open(mediatorInvite);
    const partyA = await open(partyAInvite);
    const partyB = await open(partyBInvite);
    await partyA.getByTestId('waiting-room').waitFor();
    await partyB.getByTestId('waiting-room').waitFor();

    for (const name of ['王大爷', '赵女士']) {
      const entry = mediator.locator(`[data-testid="waiting-entry"][data-name="${name}"]`);
      await entry.getByTestId('admit-button').click();
    }

    const everyone = { 李调解员: mediator, 王大爷: partyA, 赵女士: partyB };
    for (const [name, page] of Object.entries(everyone)) {
      const others = Object.keys(everyone).filter((n) => n !== name);
      const tiles = await waitForMediaFrom(page, others);
      expect(tiles.filter((t) => others.includes(t.name))).toHaveLength(2);
    }
    await saveScreenshot(mediator, 'multiparty-mediator');

    // Cameras go up as three simulcast layers; receivers get simulcast consumers.
    const partyAPeer = await serverPeer(ctx.server, sessionId, partyAInvite.seatId);
    expect(partyAPeer.producerBySource('camera')?.rtpParameters.encodings).toHaveLength(3);
    const mediatorPeer = await serverPeer(ctx.server, sessionId, mediatorInvite.seatId);
    expect([...mediatorPeer.consumers.values()].filter((c) => c.kind === 'video').map((c) => c.type)).toEqual(['simulcast', 'simulcast']);
    // The fake microphones beep, so somebody becomes the active speaker on every page.
    for (const page of Object.values(everyone)) {
      await expect
        .poll(() => page.locator('[data-testid="video-tile"][data-speaking="true"]').count(), { timeout: 15_000 })
        .toBeGreaterThan(0);
    }

    // Cut party A's socket; it reconnects on its own and resumes its seat (session:resume): media is not rebuilt.
    const before = await remoteTiles(mediator);
    const tileOfA = () => remoteTiles(mediator).then((tiles) => tiles.find((t) => t.name === '王大爷'));
    const oldConsumerOfA = (await tileOfA())?.consumerId ?? '';
    const oldConsumersOnA = (await remoteTiles(partyA)).map((t) => t.consumerId).sort();
    const socketsOfA = () => socketsOf(ctx.server, partyAInvite.seatId).map((socket) => socket.id);
    const [oldSocket] = socketsOfA();
    expect(dropSocketOf(ctx.server, partyAInvite.seatId)).toBe(true);

    // A new socket holds the seat, and it is connected again.
    await expect.poll(() => socketsOfA().filter((id) => id !== oldSocket).length, { timeout: 30_000 }).toBe(1);
    await expect
      .poll(async () => (await ctx.server.sessions.require(sessionId)).isAdmitted(partyAInvite.seatId), { timeout: 15_000 })
      .toBe(true);
    // The same peer and streams on both sides, still flowing: nothing was torn down.
    expect(await serverPeer(ctx.server, sessionId, partyAInvite.seatId)).toBe(partyAPeer);
    expect((await remoteTiles(partyA)).map((t) => t.consumerId).sort()).toEqual(oldConsumersOnA);
    const framesBefore = (await tileOfA())?.framesDecoded ?? 0;
    await expect.poll(async () => (await tileOfA())?.framesDecoded ?? 0, { timeout: 10_000 }).toBeGreaterThan(framesBefore + 10);
    expect((await tileOfA())?.consumerId).toBe(oldConsumerOfA);
    await waitForMediaFrom(partyB, ['王大爷']);
    await waitForMediaFrom(partyA, ['李调解员', '赵女士']);
    // Still one tile per person: the seat was taken back, not duplicated.
    expect((await remoteTiles(mediator)).map((t) => t.name).sort()).toEqual(['王大爷', '赵女士'].sort());
    expect(before.map((t) => t.name).sort()).toEqual(['王大爷', '赵女士'].sort());
    await saveScreenshot(partyA, 'multiparty-after-reconnect');
  });
});
