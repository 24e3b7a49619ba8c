import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { api } from '../support/signaling.js';

describe('server start-up', () => {
  let server: TestServer;
  const logLines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    server = await startTestServer({ MEDIA_WORKERS: '2', LOG_LEVEL: 'debug' }, { logDestination: sink });
  });
  afterAll(() => server?.stop());

  it('answers /healthz with up or down only: no versions, pids or counts', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves Prometheus text only to a caller with the metrics token', async () => {
    const anonymous = await fetch(`${server.url}/metrics`);
    expect(anonymous.status).toBe(401);
    const text0 = await anonymous.text();
    expect(text0).not.toContain('courtlink_media_workers');
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer not-the-metrics-token-at-all' } });
    expect(wrong.status).toBe(401);

    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.metricsToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^courtlink_media_workers 2$/m);
    expect(text).toMatch(/^courtlink_media_worker_cpu_seconds\{worker="0",pid="\d+"\} [\d.e-]+$/m);
    expect(text).toMatch(/^courtlink_media_worker_transports\{worker="1"\} 0$/m);
    expect(text).toMatch(/^courtlink_sessions_active \d+$/m);
    expect(text).toMatch(/^courtlink_peers_active \d+$/m);
  });

  it('sends security headers on pages and API answers', async () => {
    for (const path of ['/', '/j/abcdefgh12345678', '/api/sessions', '/healthz']) {
      const res = await fetch(`${server.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toMatch(/script-src 'self'(;|$)/);
      expect(csp, path).not.toContain('unsafe-inline');
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('answers unknown API routes and malformed JSON with a catalogue error and no stack', async () => {
    // The API reveals nothing, not even which routes exist, without a staff token.
    const anonymous = await fetch(`${server.url}/api/nothing-here`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('UNAUTHENTICATED');
    const missing = await api(server, 'GET', '/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });

    const malformed = await fetch(`${server.url}/api/nothing-here`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"unterminated":',
    });
    expect(malformed.status).toBe(400);
    const text = await malformed.text();
    expect(JSON.parse(text).error.code).toBe('INVALID_PAYLOAD');
    expect(text).not.toMatch(/at .*\.js:\d+/);
  });

  it('answers a bad Content-Encoding with 415 and a catalogue code, before authentication, and logs no stack', async () => {
    logLines.length = 0;
    for (const encoding of ['rot13', 'gzip']) {
      const res = await fetch(`${server.url}/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: '{"type":"mediation"}',
      });
      expect(res.status, encoding).toBeGreaterThanOrEqual(400);
      expect(res.status, encoding).toBeLessThan(500);
      const body = await res.json();
      expect(['UNSUPPORTED_ENCODING', 'INVALID_PAYLOAD']).toContain(body.error.code);
      if (encoding === 'rot13') expect(body.error.code).toBe('UNSUPPORTED_ENCODING');
    }
    const logged = logLines.join('');
    expect(logged).not.toMatch(/"level":50/);
    expect(logged).not.toMatch(/at .*\.js:\d+/);
    expect(logged).not.toContain('"stack"');
  });

  it('replaces a worker that dies and reports healthy again', async () => {
    const [victim] = server.pool.pids();
    const replaced = new Promise<{ deadPid: number; newPid: number }>((resolve) => server.pool.once('workerReplaced', resolve));
    process.kill(victim as number, 'SIGKILL');
    const event = await replaced;
    expect(event.deadPid).toBe(victim);
    expect(event.newPid).not.toBe(victim);
    expect(server.pool.pids()).toContain(event.newPid);
    expect(server.pool.pids()).not.toContain(victim);
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
  });
});
