import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { chineseLeft, lowContrast, smallTargets, unnamedControls } from '../support/a11y.js';
import { saveScreenshot } from '../support/browser.js';
import { useServerAndBrowser } from '../support/fixtures.js';
import { admitFromUi, openInvite, openPage, serverPeer, tileOf, tileVideoFrames } from '../support/room.js';
import { createSession, invite } from '../support/signaling.js';

const phone = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

describe('web app for mediators and parties', () => {
  const ctx = useServerAndBrowser();
  // Each test's pages go when it ends: rooms left running would share two cores with the next test.
  afterEach(async () => {
    for (const context of ctx.browser.contexts()) await context.close();
  });

  async function selfTestThenJoin(page: Page, shot?: string): Promise<void> {
    // The verdict waits for the person's answer about the test sound.
    await page.getByTestId('speaker-heard').click();
    await expect.poll(() => page.getByTestId('selftest-verdict').getAttribute('data-verdict'), { timeout: 15_000 }).toBe('good');
    expect(await page.getByTestId('network-result').getAttribute('data-protocol')).toBe('udp');
    if (shot) await saveScreenshot(page, shot);
    await page.getByTestId('join-button').click();
  }

  it('a party passes the self-test, waits, is admitted from the UI, and both see each other', async () => {
    const sessionId = await createSession(ctx.server, 'mediation', '相邻权纠纷调解');
    const mediatorInvite = await invite(ctx.server, sessionId, 'mediator', '陈调解员');
    const partyInvite = await invite(ctx.server, sessionId, 'party', '刘奶奶');

    const mediator = await openPage(ctx.browser, mediatorInvite.url);
    await selfTestThenJoin(mediator);
    const party = await openPage(ctx.browser, partyInvite.url);
    await selfTestThenJoin(party, 'selftest');

    await party.getByTestId('waiting-room').waitFor();
    // This mediation is not being recorded, so nobody is told it is (the notice says so only when true).
    expect(await party.getByTestId('recording-notice').count()).toBe(0);
    expect(await party.getByTestId('self-preview').evaluate((v: HTMLVideoElement) => v.srcObject !== null)).toBe(true);
    await saveScreenshot(party, 'waiting');

    const entry = mediator.locator('[data-testid="waiting-entry"][data-name="刘奶奶"]');
    await entry.waitFor();
    expect(await entry.getAttribute('data-verdict')).toBe('good');
    expect(await entry.innerText()).toContain('良好');
    await saveScreenshot(mediator, 'host-waiting-list');
    await admitFromUi(mediator, '刘奶奶');

    await expect.poll(() => tileVideoFrames(mediator, '刘奶奶'), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => tileVideoFrames(party, '陈调解员'), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => tileOf(party, '陈调解员').getAttribute('data-quality')).toBe('good');
    expect(await tileOf(party, '陈调解员').innerText()).toContain('调解员');

    // Accessibility of the room, as the mediator sees it.
    expect(await unnamedControls(mediator)).toEqual([]);
    expect(await lowContrast(mediator)).toEqual([]);
    await saveScreenshot(mediator, 'room-mediator');

    // Chat: the party writes to the host; raise hand shows on the host's tile.
    await party.getByTestId('toggle-chat').click();
    await party.getByTestId('chat-input').fill('我听不太清楚');
    await party.getByTestId('chat-send').click();
    // Unread count while the chat is closed; it resets once read.
    await expect.poll(() => mediator.getByTestId('chat-unread').innerText()).toBe('1');
    await mediator.getByTestId('toggle-chat').click();
    await expect.poll(() => mediator.getByTestId('chat-message').last().innerText()).toContain('我听不太清楚');
    expect(await mediator.getByTestId('chat-unread').count()).toBe(0);
    // Who it went to, and when.
    const received = mediator.getByTestId('chat-message').last();
    expect(await received.getByTestId('chat-recipients').innerText()).toBe('发给：主持人');
    expect(await received.locator('time').innerText()).toMatch(/\d{1,2}:\d{2}/);
    await mediator.getByTestId('chat-input').fill('请靠近麦克风');
    await mediator.getByTestId('chat-send').click();
    await expect.poll(() => party.getByTestId('chat-message').last().innerText()).toContain('请靠近麦克风');
    expect(await party.getByTestId('chat-message').last().getByTestId('chat-recipients').innerText()).toBe('发给：所有人');
    await mediator.getByTestId('sheet-close').click();
    await party.getByTestId('raise-hand').click();
    await expect.poll(() => tileOf(mediator, '刘奶奶').getAttribute('data-hand')).toBe('raised');
    expect(await tileOf(mediator, '刘奶奶').getByRole('img', { name: '举手' }).isVisible()).toBe(true);

    // Speaker view keeps the tiles.
    await mediator.getByTestId('toggle-view').click();
    await expect.poll(() => tileVideoFrames(mediator, '刘奶奶')).toBeGreaterThan(0);
    await saveScreenshot(mediator, 'room-speaker-view');
  });

  it('shares a screen with everyone and stops sharing', async () => {
    const sessionId = await createSession(ctx.server, 'mediation', '证据展示');
    const mediator = await openInvite(ctx.browser, (await invite(ctx.server, sessionId, 'mediator', '调解员')).url);
    const party = await openInvite(ctx.browser, (await invite(ctx.server, sessionId, 'party', '举证人')).url);
    await party.getByTestId('waiting-room').waitFor();
    await admitFromUi(mediator, '举证人');
    await expect.poll(() => tileVideoFrames(mediator, '举证人'), { timeout: 20_000 }).toBeGreaterThan(0);

    await party.getByTestId('share-screen').click();
    await expect.poll(() => party.getByTestId('share-screen').getAttribute('aria-pressed')).toBe('true');
    const screen = mediator.locator('[data-testid="screen-tile"][data-name="举证人"]');
    await expect
      .poll(() => screen.locator('video').evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await saveScreenshot(mediator, 'screen-share');
    await party.getByTestId('share-screen').click();
    await expect.poll(() => screen.count()).toBe(0);
  });

  it('lets a party on a weak line join with audio only from the self-test', async () => {
    const sessionId = await createSession(ctx.server, 'mediation', '仅语音调解');
    const mediator = await openInvite(ctx.browser, (await invite(ctx.server, sessionId, 'mediator', '调解员')).url);
    const partyInvite = await invite(ctx.server, sessionId, 'party', '老人家');
    const party = await openPage(ctx.browser, partyInvite.url);
    await party.getByTestId('audio-only-checkbox').check();
    await party.getByTestId('speaker-heard').click();
    await expect.poll(() => party.getByTestId('selftest-verdict').getAttribute('data-verdict'), { timeout: 15_000 }).toBe('good');
    await party.getByTestId('join-button').click();
    await party.getByTestId('waiting-room').waitFor();
    await admitFromUi(mediator, '老人家');

    // The mediator hears the party and gets no video from them; the party receives no video either.
    await expect
      .poll(async () => Number(await tileOf(mediator, '老人家').getAttribute('data-audio-bytes')), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await tileOf(mediator, '老人家').getAttribute('data-consumer-id')).toBe('');
    const peer = await serverPeer(ctx.server, sessionId, partyInvite.seatId);
    expect(peer.producerBySource('camera')).toBeUndefined();
    expect(peer.producerBySource('mic')).toBeDefined();
    await expect.poll(() => party.getByTestId('audio-only').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => [...peer.consumers.values()].filter((c) => c.kind === 'video').map((c) => c.paused)).toEqual([true]);
  });

  it('a denied party sees a clear message', async () => {
    const sessionId = await createSession(ctx.server, 'mediation', '借款纠纷调解');
    const mediator = await openInvite(ctx.browser, (await invite(ctx.server, sessionId, 'mediator', '调解员')).url);
    const party = await openInvite(ctx.browser, (await invite(ctx.server, sessionId, 'party', '钱先生')).url);
    await party.getByTestId('waiting-room').waitFor();
    await mediator.locator('[data-testid="waiting-entry"][data-name="钱先生"]').getByTestId('deny-button').click();
    // Denying is final, so the host confirms it first; cancelling changes nothing.
    await mediator.getByTestId('confirm-cancel').click();
    expect(await party.getByTestId('waiting-room').isVisible()).toBe(true);
    await mediator.locator('[data-testid="waiting-entry"][data-name="钱先生"]').getByTestId('deny-button').click();
    await mediator.getByTestId('confirm-ok').click();
    await expect.poll(() => party.getByTestId('session-message').getAttribute('data-phase')).toBe('denied');
    expect(await party.getByRole('alert').innerText()).toContain('主持人没有同意您进入本次会议');
    // Plain words and whom to ask; no raw error code on screen.
    expect(await party.getByTestId('help-contact').innerText()).toContain('如需帮助');
    expect(await party.locator('body').innerText()).not.toMatch(/DENIED|错误代码/);
    await saveScreenshot(party, 'denied');
  });

  it('works at a 360×640 phone viewport: self-test, waiting, room, with large targets and no sideways scrolling', async () => {
    const sessionId = await createSession(ctx.server, 'visit', '社区矫正远程会见');
    const officerInvite = await invite(ctx.server, sessionId, 'correctional_officer', '矫正干警');
    const officer = await openInvite(ctx.browser, officerInvite.url);
    const familyInvite = await invite(ctx.server, sessionId, 'family', '家属王女士');
    // A family member's link works once the officer has approved them.
    await (await ctx.server.sessions.require(sessionId)).approveFamily(
      { kind: 'seat', seatId: officerInvite.seatId, role: 'correctional_officer' },
      familyInvite.seatId,
    );
    const family = await openPage(ctx.browser, familyInvite.url, phone);
    await selfTestThenJoin(family, 'phone-selftest');
    await family.getByTestId('waiting-room').waitFor();
    await saveScreenshot(family, 'phone-waiting');
    await admitFromUi(officer, '家属王女士');
    await expect.poll(() => tileVideoFrames(family, '矫正干警'), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => tileVideoFrames(officer, '家属王女士'), { timeout: 20_000 }).toBeGreaterThan(0);

    expect(await family.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await smallTargets(family)).toEqual([]);
    expect(await family.getByTestId('mute-mic').isVisible()).toBe(true);
    await family.getByTestId('mute-mic').tap();
    await expect.poll(() => family.getByTestId('mute-mic').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => tileOf(officer, '家属王女士').getAttribute('data-mic')).toBe('off');
    await saveScreenshot(family, 'phone-room');
  });

  it('switches every visible string to English, in the self-test and in the room', async () => {
    const sessionId = await createSession(ctx.server, 'mediation', '合同纠纷调解');
    const mediatorInvite = await invite(ctx.server, sessionId, 'mediator', '赵调解员');
    const partyInvite = await invite(ctx.server, sessionId, 'party', '孙女士');
    // User-given names and titles stay as typed; the switch back names its language in that language.
    const names = ['合同纠纷调解', '赵调解员', '孙女士', '中文'];

    const party = await openPage(ctx.browser, partyInvite.url);
    await party.getByTestId('speaker-heard').click();
    await expect.poll(() => party.getByTestId('selftest-verdict').getAttribute('data-verdict'), { timeout: 15_000 }).toBe('good');
    expect(await party.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await party.getByTestId('language-switch').click();
    await expect.poll(() => party.getByTestId('join-button').innerText()).toBe('Go to the waiting room');
    expect(await party.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await party.title()).toBe('CourtLink remote mediation');
    expect(await chineseLeft(party, names)).toEqual([]);
    await saveScreenshot(party, 'selftest-english');

    await party.getByTestId('join-button').click();
    await party.getByTestId('waiting-room').waitFor();
    expect(await chineseLeft(party, names)).toEqual([]);

    const mediator = await openInvite(ctx.browser, mediatorInvite.url);
    await admitFromUi(mediator, '孙女士');
    await expect.poll(() => tileVideoFrames(party, '赵调解员'), { timeout: 20_000 }).toBeGreaterThan(0);
    await party.getByTestId('toggle-chat').click();
    // The choice is remembered; the room is in English too.
    expect(await chineseLeft(party, names)).toEqual([]);
    expect(await party.getByTestId('leave-button').innerText()).toBe('Leave');
    await saveScreenshot(party, 'room-english');

    // The mediator's room in English, host panel included.
    await mediator.getByTestId('language-switch').click();
    await mediator.getByTestId('toggle-participants').click();
    await expect.poll(() => mediator.getByTestId('end-session').innerText()).toBe('End session');
    expect(await chineseLeft(mediator, names)).toEqual([]);
  });

  it('holds the self-test verdict until the person says whether they heard the test sound', async () => {
    const sessionId = await createSession(ctx.server, 'consultation', '扬声器检测');
    const party = await openPage(ctx.browser, (await invite(ctx.server, sessionId, 'party', '听力检测人')).url);
    await party.getByTestId('network-result').waitFor({ timeout: 30_000 });
    await party.waitForTimeout(500);
    expect(await party.getByTestId('selftest-verdict').getAttribute('data-verdict')).toBe('pending');
    expect(await party.getByTestId('selftest-verdict').innerText()).toBe('请回答是否听到测试音');
    await party.getByTestId('speaker-not-heard').click();
    await expect.poll(() => party.getByTestId('selftest-verdict').getAttribute('data-verdict')).toBe('okay');
    expect(await party.locator('.verdict').innerText()).toContain('没有听到测试音');
    await party.getByTestId('speaker-heard').click();
    await expect.poll(() => party.getByTestId('selftest-verdict').getAttribute('data-verdict')).toBe('good');
  });

  it('can be used from the keyboard alone to get from the self-test into the waiting room', async () => {
    const sessionId = await createSession(ctx.server, 'consultation', '法律咨询');
    await invite(ctx.server, sessionId, 'mediator', '值班律师');
    const party = await openPage(ctx.browser, (await invite(ctx.server, sessionId, 'party', '咨询人')).url);
    const tabTo = async (testId: string) => {
      for (let i = 0; i < 30; i++) {
        if (await party.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
        await party.keyboard.press('Tab');
      }
    };
    await tabTo('speaker-heard');
    await party.keyboard.press('Enter');
    await expect.poll(() => party.getByTestId('selftest-verdict').getAttribute('data-verdict'), { timeout: 15_000 }).toBe('good');
    expect(await unnamedControls(party)).toEqual([]);
    expect(await lowContrast(party)).toEqual([]);
    await tabTo('join-button');
    expect(await party.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('join-button');
    await party.keyboard.press('Enter');
    await party.getByTestId('waiting-room').waitFor();
  });
});
