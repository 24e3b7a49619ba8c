import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createSession, invite } from '../support/signaling.js';

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; bytes: number; body: Buffer };

/** One GET with the bytes as they crossed the wire (fetch would decompress and hide the size). */
function rawGet(url: string, acceptEncoding = 'br, gzip', headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': acceptEncoding, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: body.length, body });
      });
    })
      .on('error', reject)
      .end();
  });
}

/** The scripts and styles index.html loads before anything else: what the invite page and its self-test need. */
function entryAssets(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
}

describe('serving the web app to a slow village link', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The suite serves the built client; `npm test` builds it first.
    expect(existsSync(join(process.cwd(), 'dist', 'client', 'index.html')), 'run npm run build:client first').toBe(true);
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('sends the invite page and its self-test in under 250 KB, Brotli-compressed', async () => {
    const sessionId = await createSession(server);
    const { url } = await invite(server, sessionId, 'party', '村民老王');
    const page = await rawGet(url);
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    const html = (await rawGet(url, 'identity')).body.toString('utf8');
    expect(html).toContain('正在加载');
    const assets = entryAssets(html);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    let total = page.bytes;
    for (const asset of assets) {
      const res = await rawGet(`${server.url}${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      total += res.bytes;
    }
    // The room screen is not among them: it loads behind the self-test.
    expect(assets.some((a) => /RoomScreen/.test(a))).toBe(false);
    expect(total).toBeLessThan(250 * 1024);
  });

  it('announces the invite lookup with the page and keeps the contract and the room out of its first scripts', async () => {
    const sessionId = await createSession(server);
    const { url } = await invite(server, sessionId, 'party', '村民老李');
    const linkId = new URL(url).pathname.split('/').at(-1) as string;
    const page = await rawGet(url, 'identity');
    // The browser fetches GET /api/invites/<id> alongside the scripts, not after them.
    expect(page.headers.link).toBe(`</api/invites/${linkId}>; rel=preload; as=fetch; crossorigin=anonymous`);
    const lookup = await fetch(`${server.url}/api/invites/${linkId}`);
    expect(((await lookup.json()) as { status: string }).status).toBe('open');
    // Nothing is echoed for what is not a short link id, nor on other pages.
    expect((await rawGet(`${server.url}/j/${'x'.repeat(5)}%3E;rel=x`, 'identity')).headers.link).toBeUndefined();
    expect((await rawGet(`${server.url}/staff`, 'identity')).headers.link).toBeUndefined();
    // The first scripts carry neither the zod contract, nor mediasoup-client or socket.io, nor the English catalogue.
    const assets = entryAssets(page.body.toString('utf8'));
    expect(assets.filter((a) => /signaling|RoomClient|english|WaitingScreen/.test(a))).toEqual([]);
    for (const asset of assets.filter((a) => a.endsWith('.js'))) {
      const text = (await rawGet(`${server.url}${asset}`, 'identity')).body.toString('utf8');
      expect(text).not.toMatch(/ZodError|mediasoup-client|engine\.io/);
    }
  });

  it('honours gzip for browsers without Brotli, and sends plain bytes to those asking for none', async () => {
    const html = (await rawGet(`${server.url}/`, 'identity')).body.toString('utf8');
    const script = entryAssets(html).find((a) => a.endsWith('.js')) as string;
    const gzip = await rawGet(`${server.url}${script}`, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const plain = await rawGet(`${server.url}${script}`, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes).toBeGreaterThan(gzip.bytes * 2);
    // Dynamic text is compressed too.
    const metrics = await rawGet(`${server.url}/metrics`, 'gzip', { authorization: `Bearer ${server.metricsToken}` });
    expect(metrics.headers['content-encoding']).toBe('gzip');
  });

  it('serves no source map and no app shell in place of a missing asset', async () => {
    const html = (await rawGet(`${server.url}/`, 'identity')).body.toString('utf8');
    for (const asset of entryAssets(html)) {
      const map = await rawGet(`${server.url}${asset}.map`);
      expect(map.status).toBe(404);
      expect(JSON.parse(map.body.toString('utf8')).error.code).toBe('NOT_FOUND');
    }
    expect((await rawGet(`${server.url}/j/whatever.map`)).status).toBe(404);
    expect((await rawGet(`${server.url}/assets/gone-1234abcd.js`)).status).toBe(404);
  });
});
