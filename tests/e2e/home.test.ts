import { describe, expect, it } from 'vitest';
import { saveScreenshot } from '../support/browser.js';
import { useServerAndBrowser } from '../support/fixtures.js';
import { createSession, staffToken } from '../support/signaling.js';

describe('served client', () => {
  const ctx = useServerAndBrowser();

  it('loads the built page in Chromium and renders it', async () => {
    const page = await ctx.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const response = await page.goto(ctx.server.url);
    expect(response?.status()).toBe(200);
    await page.getByTestId('app-home').waitFor();
    expect(await page.title()).toContain('CourtLink');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('CourtLink');
    expect(errors).toEqual([]);
    await saveScreenshot(page, 'home');
  });
});

describe('staff area placeholder', () => {
  const ctx = useServerAndBrowser();

  it("shows today's sessions for a valid administrator token and a clear error otherwise", async () => {
    await createSession(ctx.server, 'hearing', '司法确认听证');
    const page = await ctx.browser.newPage();
    await page.goto(`${ctx.server.url}/staff`);
    await page.getByTestId('staff-token').fill('not-a-token');
    await page.getByRole('button', { name: '查看今日会议' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('UNAUTHENTICATED');
    await page.getByTestId('staff-token').fill(staffToken(ctx.server));
    await page.getByRole('button', { name: '查看今日会议' }).click();
    await expect.poll(() => page.getByTestId('staff-sessions').innerText()).toContain('司法确认听证');
    expect(await page.getByTestId('staff-sessions').innerText()).toContain('庭审');
    await saveScreenshot(page, 'staff');
  });
});
