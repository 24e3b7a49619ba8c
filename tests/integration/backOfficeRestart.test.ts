import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../server/cli/main.js';
import { chinaMonth } from '../../server/records/statistics.js';
import { type RedisServer, startRedisServer } from '../../server/store/index.js';
import { newCase, StaffClient, seedOrgTree } from '../support/backOffice.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Its own redis-server (AOF, appendfsync everysec), so the test may stop and restart it. */
describe('back office durability and the CLI', () => {
  const redisDir = mkdtempSync(join(tmpdir(), 'courtlink-office-redis-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'courtlink-office-data-'));
  let redis: RedisServer | undefined;
  let server: TestServer | undefined;
  const start = async () => {
    redis ??= await startRedisServer({ dir: redisDir });
    server = await startTestServer({ REDIS_URL: redis.url }, { dataDir });
    return server;
  };
  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
    rmSync(redisDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps accounts, sign-ins, cases and the ledger across a server restart and a Redis restart', async () => {
    let s = await start();
    const tree = await seedOrgTree(s.backOffice);
    const mediator = new StaffClient(s.url);
    await mediator.login(tree.users.mediator, tree.password);
    const created = await mediator.call<{ case: { id: string } }>('POST', '/cases', newCase(tree));
    const scheduled = await mediator.call<{ session: { id: string } }>('POST', `/cases/${created.body.case.id}/sessions`, {
      type: 'mediation',
      scheduledAt: '2026-04-01T02:00:00Z',
    });
    const summary = (await s.sessions.require(scheduled.body.session.id)).summary;
    await s.backOffice.sessionEnded({ session: summary, seats: [], startedAt: '2026-04-01T02:00:00Z', endedAt: '2026-04-01T03:00:00Z' });

    await s.stop();
    s = await start();
    // The same cookie still works: the sign-in lives in Redis and the cookie key derives from the kept secret.
    const again = new StaffClient(s.url);
    again.cookie = mediator.cookie;
    expect((await again.call('GET', `/cases/${created.body.case.id}`)).status).toBe(200);

    await s.stop();
    await redis?.stop();
    redis = undefined;
    s = await start();
    const fresh = new StaffClient(s.url);
    expect((await fresh.login(tree.users.mediator, tree.password)).status).toBe(200);
    expect((await fresh.call('GET', `/cases/${created.body.case.id}`)).status).toBe(200);
    const ledger = await fresh.call<{ entries: { sessionId: string; durationSeconds: number }[] }>(
      'GET',
      '/ledger?from=2026-04-01&to=2026-04-01',
    );
    expect(ledger.body.entries).toEqual([expect.objectContaining({ sessionId: scheduled.body.session.id, durationSeconds: 3600 })]);
  });

  it('creates, lists and disables accounts from the CLI, and seeds demo data that the statistics show', async () => {
    const s = server ?? (await start());
    const lines: string[] = [];
    const saved = process.env.REDIS_URL;
    process.env.REDIS_URL = redis!.url;
    try {
      await run(['user', 'add', '--username', 'cli-admin', '--role', 'admin', '--org-name', '示例中心（演示数据）'], (l) => lines.push(l));
      const password = lines.find((l) => l.startsWith('password'))!.split(': ')[1]!;
      const admin = new StaffClient(s.url);
      expect((await admin.login('cli-admin', password)).status).toBe(200);
      await run(['user', 'list'], (l) => lines.push(l));
      expect(lines.some((l) => /^cli-admin\tadmin\t\S+\tactive/.test(l))).toBe(true);
      await run(['user', 'disable', '--username', 'cli-admin'], (l) => lines.push(l));
      expect((await admin.call('GET', '/auth/me')).status).toBe(401);
      await expect(run(['user', 'add', '--username', 'Bad Name', '--role', 'admin'], () => {})).rejects.toThrow('--username');

      const seeded: string[] = [];
      await run(['demo', 'seed'], (l) => seeded.push(l));
      const demoPassword = seeded.find((l) => l.includes('demo-admin'))!.split('\t')[2]!;
      const demo = new StaffClient(s.url);
      expect((await demo.login('demo-admin', demoPassword)).status).toBe(200);
      const cases = await demo.call<{ cases: unknown[] }>('GET', '/cases');
      expect(cases.body.cases).toHaveLength(24);
      const ledger = await demo.call<{ entries: unknown[] }>('GET', '/ledger');
      expect(ledger.body.entries).toHaveLength(24);
      const month = chinaMonth(new Date(Date.now() - 30 * 3600_000).toISOString());
      const stats = await demo.call<{ total: { count: number }; villageRoomsServed: string[] }>('GET', `/statistics?month=${month}`);
      expect(stats.body.total.count).toBeGreaterThan(0);
      expect(stats.body.villageRoomsServed.every((name) => name.includes('演示数据'))).toBe(true);
      await expect(run(['demo', 'seed'], () => {})).rejects.toThrow('already seeded');
    } finally {
      if (saved === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = saved;
    }
  });
});
