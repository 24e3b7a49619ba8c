import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../server/records/index.js';
import { newCase, type OrgTree, StaffClient, seedOrgTree } from '../support/backOffice.js';
import { startTestServer, type TestServer } from '../support/server.js';

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/** Every [method, path] express will actually answer in a router, nested routers included. */
function expressRoutes(stack: Layer[]): string[] {
  return stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).map((m) => `${m} ${layer.route!.path}`)
      : layer.handle?.stack
        ? expressRoutes(layer.handle.stack)
        : [],
  );
}

describe('back office contract: OpenAPI, bad input, statistics', () => {
  let server: TestServer;
  let tree: OrgTree;
  let admin: StaffClient;

  beforeAll(async () => {
    server = await startTestServer();
    tree = await seedOrgTree(server.backOffice);
    admin = new StaffClient(server.url);
    expect((await admin.login(tree.users.admin, tree.password)).status).toBe(200);
  });
  afterAll(() => server?.stop());

  it('serves a valid OpenAPI 3.1 document listing exactly the routes express registers under /api', async () => {
    const res = await fetch(`${server.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path.replace(/^\/api/, '').replace(/\{(\w+)\}/g, ':$1')}`))
      .sort();
    // The whole /api router: the back office's routes and the session API's.
    const registered = expressRoutes((server.apiRouter as unknown as { stack: Layer[] }).stack).sort();
    expect(registered.length).toBeGreaterThan(20);
    for (const route of ['post /sessions', 'get /sessions/:id/audit', 'post /sessions/:id/invites', 'get /invites/:linkId'])
      expect(registered).toContain(route);
    expect(documented).toEqual(registered);
  });

  it('answers bad input on every endpoint with 4xx and a catalogue code, and writes nothing', async () => {
    const created = await admin.call<{ case: { id: string } }>('POST', '/cases', newCase(tree));
    const session = await admin.call<{ session: { id: string } }>('POST', `/cases/${created.body.case.id}/sessions`, {
      type: 'mediation',
      scheduledAt: new Date(Date.now() + 86400_000).toISOString(),
    });
    const ids: Record<string, string> = { caseId: created.body.case.id, sessionId: session.body.session.id, id: tree.ids.mediator };
    const before = await server.redis.dbSize();
    const codes = new Set(Object.keys((await import('../../signaling/errors.js')).errorCatalogue));
    const failures: string[] = [];
    const expectRefused = async (method: string, path: string, body: unknown, what: string) => {
      const answer = await admin.call<{ error?: { code: string; message: string } }>(method.toUpperCase(), path, body);
      const ok =
        answer.status >= 400 &&
        answer.status < 500 &&
        answer.body.error &&
        codes.has(answer.body.error.code) &&
        !/\bat .+:\d+/.test(answer.text);
      if (!ok) failures.push(`${method} ${path} (${what}): ${answer.status} ${answer.text.slice(0, 120)}`);
    };
    for (const route of server.apiRoutes) {
      const path = route.path.replace(/:(\w+)/g, (_m, name: string) => ids[name] ?? 'x');
      if (route.body) {
        await expectRefused(route.method, path, { unexpectedField: 1 }, 'unknown field');
        await expectRefused(route.method, path, [1, 2], 'wrong type');
        const shape = Object.keys((route.body as unknown as { shape?: Record<string, unknown> }).shape ?? {});
        await expectRefused(route.method, path, Object.fromEntries(shape.map((k) => [k, 'x'.repeat(100_000)])), 'oversized strings');
        await expectRefused(route.method, path, Object.fromEntries(shape.map((k) => [k, 12345])), 'numbers for everything');
      }
      if (route.query) await expectRefused(route.method, `${path}?unexpected=1`, undefined, 'unknown query');
      if (route.params) {
        const badPath = route.path.replace(/:(\w+)/g, '%24%7Bid%7D');
        await expectRefused(route.method, badPath, route.body ? {} : undefined, 'malformed id');
      }
    }
    // Another organisation's case and a case that does not exist look the same.
    const outsider = new StaffClient(server.url);
    await outsider.login(tree.users.otherMediator, tree.password);
    for (const path of [`/cases/${ids.caseId}`, '/cases/AAAAAAAAAAAAAAAA']) {
      const answer = await outsider.call<{ error: { code: string } }>('GET', path);
      expect(answer.status, path).toBe(404);
    }
    expect(
      (await outsider.call('POST', `/cases/${ids.caseId}/sessions`, { type: 'mediation', scheduledAt: new Date().toISOString() })).status,
    ).toBe(404);
    expect(failures).toEqual([]);
    // The outsider's sign-in is the only key added.
    expect(await server.redis.dbSize()).toBe(before + 2);
  });

  it('computes month statistics that match a hand count, per organisation', async () => {
    const district = await server.backOffice.orgs.createSite({
      name: '示例区中心调解室',
      kind: 'district_centre',
      orgId: tree.district,
      address: '示例区1号',
      longitude: 116.3,
      latitude: 39.9,
    });
    let n = 0;
    const entry = (
      orgId: string,
      type: LedgerEntry['type'],
      siteId: string,
      startedAt: string,
      minutes: number,
      outcome?: LedgerEntry['outcome'],
    ) =>
      server.backOffice.ledger.write({
        sessionId: `stats-${tree.district}-${n++}`,
        orgId,
        type,
        siteIds: [siteId],
        participants: [],
        startedAt,
        endedAt: new Date(Date.parse(startedAt) + minutes * 60_000).toISOString(),
        durationSeconds: minutes * 60,
        recordingIds: [],
        agreementIds: [],
        rulingIds: [],
        ...(outcome ? { outcome } : {}),
      });
    await entry(tree.township, 'mediation', tree.villageSite, '2026-02-03T02:00:00Z', 30, 'agreement_reached');
    await entry(tree.township, 'mediation', tree.villageSite, '2026-02-04T02:00:00Z', 60, 'no_agreement');
    await entry(tree.district, 'visit', district.id, '2026-02-05T02:00:00Z', 20, 'visit_completed');
    await entry(tree.district, 'hearing', district.id, '2026-02-06T02:00:00Z', 40, 'confirmed');
    await entry(tree.township, 'mediation', tree.villageSite, '2026-02-07T02:00:00Z', 10);
    // 1 February 01:00 in Beijing: February, although it is still January in UTC.
    await entry(tree.township, 'mediation', tree.villageSite, '2026-01-31T17:00:00Z', 50, 'adjourned');
    // 1 March 00:30 in Beijing: not February.
    await entry(tree.township, 'mediation', tree.villageSite, '2026-02-28T16:30:00Z', 99, 'agreement_reached');
    await entry(tree.other, 'mediation', tree.otherSite, '2026-02-10T02:00:00Z', 15, 'agreement_reached');

    const stats = await admin.call<Record<string, unknown>>('GET', '/statistics?month=2026-02');
    expect(stats.status).toBe(200);
    // Hand count: 6 sessions, 5 decided, 3 succeeded (agreement, visit, confirmation), 210 minutes in all.
    expect(stats.body.total).toEqual({ count: 6, decided: 5, succeeded: 3, successRate: 0.6, averageDurationSeconds: 2100 });
    expect(stats.body.byType).toEqual({
      hearing: { count: 1, decided: 1, succeeded: 1, successRate: 1, averageDurationSeconds: 2400 },
      mediation: { count: 4, decided: 3, succeeded: 1, successRate: 0.3333, averageDurationSeconds: 2250 },
      visit: { count: 1, decided: 1, succeeded: 1, successRate: 1, averageDurationSeconds: 1200 },
    });
    const bySite = stats.body.bySite as Record<string, { count: number; averageDurationSeconds: number }>;
    expect(bySite.示例区中心调解室).toMatchObject({ count: 2, averageDurationSeconds: 1800 });
    expect(bySite['示例村, "东头" 法律服务室']).toMatchObject({ count: 4, averageDurationSeconds: 2250 });
    expect(
      Object.values(stats.body.byOrganisation as Record<string, { count: number }>)
        .map((r) => r.count)
        .sort(),
    ).toEqual([2, 4]);
    expect(stats.body.byOutcome).toEqual({
      agreement_reached: 1,
      no_agreement: 1,
      visit_completed: 1,
      confirmed: 1,
      adjourned: 1,
      undecided: 1,
    });
    expect(stats.body.villageRoomsServed).toEqual(['示例村, "东头" 法律服务室']);

    const township = new StaffClient(server.url);
    await township.login(tree.users.townshipMediator, tree.password);
    expect((await township.call<{ total: { count: number } }>('GET', '/statistics?month=2026-02')).body.total.count).toBe(4);
    const outsider = new StaffClient(server.url);
    await outsider.login(tree.users.otherMediator, tree.password);
    expect((await outsider.call<{ total: { count: number } }>('GET', '/statistics?month=2026-02')).body.total.count).toBe(1);

    const csv = await admin.call('GET', '/statistics/export?month=2026-02');
    const lines = csv.text.split('\r\n');
    // fetch's text() drops the BOM (the ledger test checks the bytes).
    expect(lines[0]).toBe('维度,项目,场次,已定结果,成功,成功率,平均时长(秒)');
    expect(lines[1]).toBe('合计,2026-02,6,5,3,0.6,2100');
    expect(lines).toContain('类型,调解,4,3,1,0.3333,2250');
    expect(lines).toContain('场所,"示例村, ""东头"" 法律服务室",4,3,1,0.3333,2250');
  });

  it('refuses sign-ins from an address after 50 failures, whatever the user name', async () => {
    const c = new StaffClient(server.url);
    try {
      for (let i = 0; i < 50; i++) await c.login(`nobody-${i}`, 'wrong password');
      const blocked = await c.login(tree.users.mediator, tree.password);
      expect(blocked.status).toBe(429);
      expect((blocked.body as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    } finally {
      // The limit is per address and kept in the suite's shared Redis for an hour: lift it for the other files.
      for (const key of await server.redis.keys('cl:login-fail:ip:*')) await server.redis.del(key);
    }
  });
});
