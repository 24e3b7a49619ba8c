import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitOf, isAlive, spawnCourtLink, waitUntilGone } from '../support/processes.js';

describe('npm start entry point', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'courtlink-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs on embedded redis, then leaves no redis-server or worker behind on SIGINT', async () => {
    const run = spawnCourtLink({ PORT: '0', DATA_DIR: dataDir, MEDIA_WORKERS: '2', RTC_PORT: '0', LOG_LEVEL: 'warn' });
    const url = await run.url;
    const health = await (await fetch(`${url}/healthz`)).json();
    expect(health).toEqual({ status: 'ok' });
    // Worker pids are not public: read them from /metrics with the token the server generated.
    const metricsToken = readFileSync(join(dataDir, 'secrets', 'metrics.token'), 'utf8').trim();
    const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    const workerPids = [...metrics.matchAll(/^courtlink_media_worker_cpu_seconds\{worker="\d+",pid="(\d+)"\}/gm)].map((m) => Number(m[1]));
    expect(workerPids).toHaveLength(2);

    const redisPid = Number(readFileSync(join(dataDir, 'redis', 'redis-server.pid'), 'utf8'));
    expect(isAlive(redisPid)).toBe(true);
    expect(readFileSync(`/proc/${redisPid}/cmdline`, 'utf8')).toContain('127.0.0.1');
    expect(existsSync(join(dataDir, 'redis', 'appendonlydir'))).toBe(true);

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);

    run.child.kill('SIGINT');
    expect(await exitOf(run.child)).toBe(0);
    expect(await waitUntilGone([redisPid, ...workerPids])).toEqual([]);
  });

  it('stops with a message naming the bad variable and its accepted values', async () => {
    const run = spawnCourtLink({ PORT: '0', DATA_DIR: dataDir, MEDIA_WORKERS: 'many' });
    const code = await exitOf(run.child);
    expect(code).toBe(2);
    expect(run.output()).toContain('MEDIA_WORKERS="many" is invalid: expected an integer from 1 to 64');
  });
});
