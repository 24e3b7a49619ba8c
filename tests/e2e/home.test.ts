import { describe, expect, it } from 'vitest';
import { saveScreenshot } from '../support/browser.js';
import { useServerAndBrowser } from '../support/fixtures.js';

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
