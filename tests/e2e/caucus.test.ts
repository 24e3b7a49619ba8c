import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot } from '../support/browser.js';
import { useServerAndBrowser } from '../support/fixtures.js';
import { admitFromUi, openInvite, remoteTiles, waitForMediaFrom } from '../support/room.js';
import { createSession, invite } from '../support/signaling.js';

/** What a page has received from one person so far: decoded video frames plus audio bytes, or 0 with no consumer. */
async function receivedFrom(page: Page, name: string): Promise<{ consumer: string; total: number }> {
  const tile = (await remoteTiles(page)).find((t) => t.name === name);
  return { consumer: tile?.consumerId ?? '', total: (tile?.framesDecoded || 0) + (tile?.audioBytes || 0) };
}

describe('private caucus (背对背调解) in Chromium', () => {
  const ctx = useServerAndBrowser();

  it('isolates A and A’s counsel in a caucus from B, while the mediator still receives A; return-all restores everyone', async () => {
    const sessionId = await createSession(ctx.server, 'mediation', '背对背调解');
    const invites = {
      调解员: await invite(ctx.server, sessionId, 'mediator', '调解员'),
      申请人甲: await invite(ctx.server, sessionId, 'party', '申请人甲'),
      甲方律师: await invite(ctx.server, sessionId, 'counsel', '甲方律师'),
      被申请人乙: await invite(ctx.server, sessionId, 'party', '被申请人乙'),
      法官: await invite(ctx.server, sessionId, 'court_staff', '法官'),
    };
    const mediator = await openInvite(ctx.browser, invites.调解员.url);
    const pages: Record<string, Page> = { 调解员: mediator };
    for (const name of ['申请人甲', '甲方律师', '被申请人乙', '法官'] as const) {
      pages[name] = await openInvite(ctx.browser, invites[name].url);
      await pages[name].getByTestId('waiting-room').waitFor();
      await admitFromUi(mediator, name);
    }
    const b = pages.被申请人乙 as Page;
    const a = pages.申请人甲 as Page;
    await waitForMediaFrom(b, ['申请人甲', '甲方律师', '调解员'], { timeoutMs: 60_000 });
    await waitForMediaFrom(mediator, ['申请人甲'], { timeoutMs: 60_000 });
    await expect.poll(() => a.getByTestId('current-room').getAttribute('data-room')).toBe('joint');

    // The mediator opens a caucus and moves A and A's counsel into it, then goes in too.
    await mediator.getByTestId('toggle-participants').click();
    const panel = mediator.getByTestId('caucus-panel');
    await panel.getByRole('textbox').fill('申请人一方');
    await panel.getByTestId('caucus-create').click();
    const caucusButton = panel.locator('[data-testid="move-to-room"][data-room-name="申请人一方"]');
    await caucusButton.waitFor();
    await panel.locator('[data-testid="caucus-pick"][data-name="申请人甲"]').check();
    await panel.locator('[data-testid="caucus-pick"][data-name="甲方律师"]').check();
    await caucusButton.click();
    await expect.poll(() => a.getByTestId('current-room').textContent()).toContain('申请人一方');
    await caucusButton.click();
    await expect.poll(() => mediator.getByTestId('current-room').textContent()).toContain('申请人一方');

    // B's page stops receiving A's audio and video: nothing more arrives.
    await expect.poll(async () => (await receivedFrom(b, '申请人甲')).consumer, { timeout: 5000 }).toBe('');
    const bBefore = await receivedFrom(b, '申请人甲');
    await b.waitForTimeout(2000);
    expect((await receivedFrom(b, '申请人甲')).total).toBe(bBefore.total);
    expect((await receivedFrom(b, '甲方律师')).consumer).toBe('');
    // The mediator still receives A, and it keeps flowing.
    const mBefore = await receivedFrom(mediator, '申请人甲');
    await expect.poll(async () => (await receivedFrom(mediator, '申请人甲')).total, { timeout: 10_000 }).toBeGreaterThan(mBefore.total);
    await saveScreenshot(mediator, 'caucus-mediator-in-caucus');
    await saveScreenshot(a, 'caucus-party-a');

    // Everyone back: everyone receives everyone again.
    await panel.getByTestId('return-all').click();
    await expect.poll(() => a.getByTestId('current-room').getAttribute('data-room')).toBe('joint');
    const everyone = Object.keys(pages);
    for (const [name, page] of Object.entries(pages)) {
      await waitForMediaFrom(
        page,
        everyone.filter((n) => n !== name),
        { timeoutMs: 60_000 },
      );
    }
    await saveScreenshot(b, 'caucus-after-return-all');
  });
});
