import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';
import { startTestServer, type TestServer } from './server.js';
import { createVillage, type Village } from './village.js';

/** A real server and Debian's Chromium for one test file, started before its tests and stopped after. */
export function useServerAndBrowser(env: Record<string, string> = {}): { server: TestServer; browser: Browser } {
  const context = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    context.server = await startTestServer(env);
    context.browser = await launchChromium();
  });
  afterAll(async () => {
    await context.browser?.close();
    await context.server?.stop();
  });
  return context;
}

export type VillageSetup = {
  village: Village;
  server: TestServer;
  /** Chromium on the host: the district centre. */
  office: Browser;
  /** Chromium inside the village namespace. */
  villageBrowser: Browser;
  /** An invite link rewritten to the address the village can reach. */
  reachable(url: string): string;
};

/**
 * A village network namespace, a server listening where the village can reach
 * it, and a browser on each side. `prepare` runs on the village before anything
 * connects (for example, to block UDP).
 */
export function useVillage(prepare: (village: Village) => void | Promise<void> = () => {}): VillageSetup {
  const setup = {} as VillageSetup;
  beforeAll(async () => {
    setup.village = await createVillage();
    await prepare(setup.village);
    const { hostIp } = setup.village;
    setup.server = await startTestServer({ HOST: '0.0.0.0', RTC_LISTEN_IP: '0.0.0.0', RTC_ANNOUNCED_IP: hostIp });
    const origin = `http://${hostIp}:${setup.server.port}`;
    setup.reachable = (url) => url.replace(/^http:\/\/[^/]+/, origin);
    setup.office = await launchChromium([`--unsafely-treat-insecure-origin-as-secure=${origin}`]);
    setup.villageBrowser = await setup.village.launchBrowser([], origin);
  });
  afterAll(async () => {
    await setup.villageBrowser?.close();
    await setup.office?.close();
    await setup.server?.stop();
    setup.village?.close();
  });
  return setup;
}
