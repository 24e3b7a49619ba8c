import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { lowContrast, smallTargets, unnamedControls } from '../support/a11y.js';
import { saveScreenshot } from '../support/browser.js';
import { useServerAndBrowser } from '../support/fixtures.js';
import { admitFromUi, openPage, tileOf, waitForMediaFrom } from '../support/room.js';
import { createSession, invite } from '../support/signaling.js';

const screens: Array<{ name: string; options: BrowserContextOptions }> = [
  { name: 'phone', options: { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } },
  { name: 'tablet', options: { viewport: { width: 768, height: 1024 }, isMobile: true, hasTouch: true } },
  { name: 'desktop', options: { viewport: { width: 1280, height: 800 } } },
];

type Box = { x: number; y: number; width: number; height: number };

async function box(page: Page, testId: string): Promise<Box> {
  const found = await page.getByTestId(testId).first().boundingBox();
  if (!found) throw new Error(`${testId} is not rendered`);
  return found;
}

function inside(inner: Box, viewport: { width: number; height: number }): boolean {
  return inner.x >= 0 && inner.y >= 0 && inner.x + inner.width <= viewport.width && inner.y + inner.height <= viewport.height;
}

/** Share of the stage covered by the tiles on it. */
function tileCoverage(page: Page): Promise<number> {
  return page.evaluate(() => {
    const stage = document.querySelector('[data-testid="stage"]');
    if (!stage) return 0;
    const s = stage.getBoundingClientRect();
    const tiles = [...stage.querySelectorAll('[data-testid="video-tile"], [data-testid="screen-tile"]')];
    const covered = tiles.reduce((sum, t) => {
      const r = t.getBoundingClientRect();
      return sum + r.width * r.height;
    }, 0);
    return covered / (s.width * s.height);
  });
}

/** Presses a toolbar button that may sit in the "more" menu on narrow screens. */
async function press(page: Page, testId: string): Promise<void> {
  if (!(await page.getByTestId(testId).isVisible())) await page.getByTestId('more-button').click();
  await page.getByTestId(testId).click();
}

describe('room layout at phone, tablet and desktop sizes', () => {
  const ctx = useServerAndBrowser();

  for (const screen of screens) {
    it(`${screen.name}: join in view, slim toolbar, admit in view, tiles fill the stage, placeholder, screen on the main stage`, async () => {
      const viewport = screen.options.viewport as { width: number; height: number };
      const sessionId = await createSession(ctx.server, 'mediation', '宅基地纠纷调解（第二次）');
      const host = await openPage(ctx.browser, (await invite(ctx.server, sessionId, 'mediator', '林调解员')).url, screen.options);

      // Self-test: the verdict and the join button are in view without scrolling.
      await host.getByTestId('speaker-heard').click();
      await expect.poll(() => host.getByTestId('selftest-verdict').getAttribute('data-verdict'), { timeout: 15_000 }).toBe('good');
      expect(inside(await box(host, 'join-button'), viewport)).toBe(true);
      expect(inside(await box(host, 'selftest-verdict'), viewport)).toBe(true);
      await saveScreenshot(host, `layout-${screen.name}-selftest`);
      await host.getByTestId('join-button').click();

      // The tab shows CourtLink's icon, an SVG served with the client.
      const icon = await host.evaluate(async () => {
        const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
        const response = link ? await fetch(link.href) : undefined;
        return { status: response?.status, type: response?.headers.get('content-type') ?? '' };
      });
      expect(icon.status).toBe(200);
      expect(icon.type).toContain('image/svg+xml');

      // Toolbar: one slim row.
      await host.getByTestId('toolbar').waitFor();
      expect((await box(host, 'toolbar')).height).toBeLessThanOrEqual(72);
      expect(inside(await box(host, 'toolbar'), viewport)).toBe(true);

      // Someone waits: the host's admit button is in view without opening anything.
      const party = await openPage(ctx.browser, (await invite(ctx.server, sessionId, 'party', '何大姐')).url, screen.options);
      await party.getByTestId('join-button').click();
      await party.getByTestId('waiting-room').waitFor();
      const admit = host.locator('[data-testid="waiting-entry"][data-name="何大姐"]').getByTestId('admit-button');
      await admit.waitFor();
      const admitBox = await admit.boundingBox();
      expect(admitBox && inside(admitBox, viewport)).toBe(true);
      await saveScreenshot(host, `layout-${screen.name}-waiting`);
      // Usable by everyone at this size: named controls, 44 px targets, AA contrast.
      expect(await unnamedControls(host)).toEqual([]);
      expect(await smallTargets(host)).toEqual([]);
      expect(await lowContrast(host)).toEqual([]);
      await admitFromUi(host, '何大姐');
      await waitForMediaFrom(host, ['何大姐']);
      await waitForMediaFrom(party, ['林调解员']);

      // The gallery fills the stage; no sideways scrolling.
      for (const page of [host, party]) {
        expect(await tileCoverage(page)).toBeGreaterThanOrEqual(0.6);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        expect((await box(page, 'toolbar')).height).toBeLessThanOrEqual(72);
      }
      await saveScreenshot(host, `layout-${screen.name}-gallery`);

      // Camera off: a named placeholder within a second, on the other side and on our own tile.
      await party.getByTestId('toggle-camera').click();
      const started = Date.now();
      await tileOf(host, '何大姐').getByTestId('camera-off-placeholder').waitFor({ timeout: 1000 });
      expect(Date.now() - started).toBeLessThanOrEqual(1000);
      expect(await tileOf(host, '何大姐').getByTestId('camera-off-placeholder').innerText()).toContain('何大姐');
      // Our own tile changes when the server has acknowledged the pause, which may come after the host's notice: poll, within the same second.
      const ownPlaceholder = party.locator('[data-testid="video-tile"][data-local="true"]').getByTestId('camera-off-placeholder');
      await expect.poll(() => ownPlaceholder.count(), { timeout: 1000 }).toBe(1);
      await saveScreenshot(host, `layout-${screen.name}-camera-off`);
      await party.getByTestId('toggle-camera').click();
      await expect.poll(() => tileOf(host, '何大姐').getByTestId('camera-off-placeholder').count()).toBe(0);

      // A shared screen takes the main stage and is the largest thing on it.
      await press(party, 'share-screen');
      const shared = host.getByTestId('screen-tile');
      await shared.waitFor({ timeout: 20_000 });
      await expect.poll(() => host.getByTestId('stage').getAttribute('data-layout')).toBe('screen');
      const areas = await host.$$eval('[data-testid="stage"] figure', (figures) =>
        figures.map((f) => {
          const r = f.getBoundingClientRect();
          return { kind: f.getAttribute('data-testid'), area: r.width * r.height };
        }),
      );
      const largest = areas.reduce((a, b) => (b.area > a.area ? b : a));
      expect(largest.kind).toBe('screen-tile');
      await saveScreenshot(host, `layout-${screen.name}-screen`);
      await host.context().close();
      await party.context().close();
    });
  }
});
