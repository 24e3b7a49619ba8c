import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, saveScreenshot } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('served client', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('loads the built page in Chromium and renders it', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    await page.getByTestId('app-home').waitFor();
    expect(await page.title()).toContain('CourtLink');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('CourtLink');
    expect(errors).toEqual([]);
    await saveScreenshot(page, 'home');
  });
});
