import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { api } from '../support/signaling.js';

describe('server start-up', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MEDIA_WORKERS: '2' });
  });
  afterAll(() => server?.stop());

  it('reports redis and every worker as healthy on /healthz', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe('ok');
    expect(body.version).toBe(server.version);
    expect(body.redis.status).toBe('up');
    expect(body.workers).toHaveLength(2);
    for (const w of body.workers) {
      expect(w.pid).toBeGreaterThan(0);
      expect(w.cpu.userMs).toBeGreaterThanOrEqual(0);
      expect(w.cpu.systemMs).toBeGreaterThanOrEqual(0);
    }
    expect(new Set(body.workers.map((w: { pid: number }) => w.pid)).size).toBe(2);
  });

  it('serves Prometheus text covering workers, sessions and peers', async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^courtlink_media_workers 2$/m);
    expect(text).toMatch(/^courtlink_media_worker_cpu_seconds\{worker="0",pid="\d+"\} [\d.e-]+$/m);
    expect(text).toMatch(/^courtlink_media_worker_transports\{worker="1"\} 0$/m);
    expect(text).toMatch(/^courtlink_sessions_active \d+$/m);
    expect(text).toMatch(/^courtlink_peers_active \d+$/m);
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

  it('replaces a worker that dies and reports the new one', async () => {
    const [victim] = server.pool.pids();
    const replaced = new Promise<{ deadPid: number; newPid: number }>((resolve) => server.pool.once('workerReplaced', resolve));
    process.kill(victim as number, 'SIGKILL');
    const event = await replaced;
    expect(event.deadPid).toBe(victim);
    expect(event.newPid).not.toBe(victim);
    const body = await (await fetch(`${server.url}/healthz`)).json();
    expect(body.status).toBe('ok');
    expect(body.workers.map((w: { pid: number }) => w.pid)).toContain(event.newPid);
    expect(body.workers.map((w: { pid: number }) => w.pid)).not.toContain(victim);
  });
});
