import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { TestServer } from './server.js';

export type TileFigures = { name: string; consumerId: string; framesDecoded: number; audioBytes: number };

/** The remote tiles a page shows, with the inbound-rtp figures each one reports. */
export async function remoteTiles(page: Page): Promise<TileFigures[]> {
  return page.$$eval('[data-testid="video-tile"][data-local="false"]', (tiles) =>
    tiles.map((t) => ({
      name: t.getAttribute('data-name') ?? '',
      consumerId: t.getAttribute('data-consumer-id') ?? '',
      framesDecoded: Number(t.getAttribute('data-frames-decoded')),
      audioBytes: Number(t.getAttribute('data-audio-bytes')),
    })),
  );
}

/** Waits until `page` decodes video and receives audio from every one of `names`. */
export async function waitForMediaFrom(
  page: Page,
  names: string[],
  options: { timeoutMs?: number; notConsumers?: string[] } = {},
): Promise<TileFigures[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: TileFigures[] = [];
  while (Date.now() < deadline) {
    last = await remoteTiles(page);
    const flowing = names.every((name) =>
      last.some((t) => t.name === name && t.framesDecoded > 0 && t.audioBytes > 0 && !(options.notConsumers ?? []).includes(t.consumerId)),
    );
    if (flowing) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`media from ${names.join(', ')} did not arrive; tiles: ${JSON.stringify(last)}`);
}

/** The server's open sockets of one seat. */
export function socketsOf(server: TestServer, seatId: string) {
  return [...server.io.sockets.sockets.values()].filter(
    (socket) => (socket.data as { claims?: { seatId?: string } }).claims?.seatId === seatId,
  );
}

/** Cuts one participant's socket at the transport level, as a dropped network would; socket.io then reconnects. */
export function dropSocketOf(server: TestServer, seatId: string): boolean {
  const [socket] = socketsOf(server, seatId);
  socket?.conn.close();
  return socket !== undefined;
}

/** The server's media view of one seat: its transports, producers and consumers. */
export async function serverPeer(server: TestServer, sessionId: string, seatId: string) {
  const session = await server.sessions.require(sessionId);
  const room = await session.media.room();
  const peer = room.peers.get(seatId);
  if (!peer) throw new Error(`no media peer for ${seatId}`);
  return peer;
}

/** Opens a link in a fresh browser context (its own cookies, devices and storage). */
export async function openPage(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  await page.goto(url);
  return page;
}

/** Opens an invite link and, once the self-test has run, presses join. */
export async function openInvite(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await openPage(browser, url, options);
  await page.getByTestId('join-button').click();
  return page;
}

export async function admitFromUi(host: Page, name: string): Promise<void> {
  await host.locator(`[data-testid="waiting-entry"][data-name="${name}"]`).getByTestId('admit-button').click();
}

export function tileOf(page: Page, name: string) {
  return page.locator(`[data-testid="video-tile"][data-name="${name}"]`);
}

/** Decoded frames of the <video> inside a named tile, as the element itself reports them. */
export function tileVideoFrames(page: Page, name: string): Promise<number> {
  return tileOf(page, name)
    .locator('video')
    .evaluate((video: HTMLVideoElement) => video.getVideoPlaybackQuality().totalVideoFrames);
}
