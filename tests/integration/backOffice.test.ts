import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../server/audit/index.js';
import { LoginSessions, type StaffActor } from '../../server/auth/index.js';
import { LedgerStore } from '../../server/records/index.js';
import { newCase, type OrgTree, StaffClient, seedOrgTree } from '../support/backOffice.js';
import { startTestServer, type TestServer } from '../support/server.js';

type CaseBody = { case: { id: string; caseNumber: string; parties: { phone: string; idNumber: string; name: string }[] } };

describe('back office: sign-in, cases, sessions, ledger', () => {
  let server: TestServer;
  let tree: OrgTree;
  const client = () => new StaffClient(server.url);
  const signedIn = async (username: string) => {
    const c = client();
    const answer = await c.login(username, tree.password);
    expect(answer.status).toBe(200);
    return c;
  };

  beforeAll(async () => {
    server = await startTestServer();
    tree = await seedOrgTree(server.backOffice);
  });
  afterAll(() => server?.stop());

  it('signs in with a signed, HttpOnly, SameSite=Strict cookie and signs out for good', async () => {
    const c = client();
    const answer = await c.login(tree.users.mediator, tree.password);
    expect(answer.status).toBe(200);
    expect(answer.text).not.toContain('passwordHash');
    expect(c.setCookie).toMatch(/^courtlink_session=s%3A/);
    expect(c.setCookie).toMatch(/HttpOnly/);
    expect(c.setCookie).toMatch(/SameSite=Strict/);
    expect(c.setCookie).not.toMatch(/Secure/); // http test server
    const me = await c.call<{ account: { username: string; staffRole: string } }>('GET', '/auth/me');
    expect(me.body.account).toMatchObject({ username: tree.users.mediator, staffRole: 'mediator' });

    // A cookie whose signature does not match is refused.
    const forged = client();
    forged.cookie = c.cookie?.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect((await forged.call('GET', '/auth/me')).status).toBe(401);

    const saved = c.cookie;
    expect((await c.call('POST', '/auth/logout')).status).toBe(204);
    c.cookie = saved; // replaying the old cookie after logout
    const after = await c.call<{ error: { code: string } }>('GET', '/auth/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('LOGIN_EXPIRED');
  });

  it('accepts a script token scoped to an organisation, and refuses one without', async () => {
    const scoped = server.tokens.signStaff({ sub: 'script-1', staffRole: 'admin', orgId: tree.other }, 60);
    const bare = server.tokens.signStaff({ sub: 'script-1', staffRole: 'admin' }, 60);
    const c = client();
    expect((await c.call('GET', '/sites', undefined, { authorization: `Bearer ${scoped}` })).body).toEqual({
      sites: [expect.objectContaining({ id: tree.otherSite })],
    });
    expect((await c.call('GET', '/sites', undefined, { authorization: `Bearer ${bare}` })).status).toBe(401);
  });

  it('expires a sign-in when its Redis key expires', async () => {
    const c = await signedIn(tree.users.secondMediator);
    const sid = decodeURIComponent(c.cookie!.split('=')[1]!).slice(2).split('.')[0]!;
    expect(await server.redis.exists(LoginSessions.key(sid))).toBe(1);
    await server.redis.pExpire(LoginSessions.key(sid), 1);
    await new Promise((r) => setTimeout(r, 20));
    const answer = await c.call<{ error: { code: string } }>('GET', '/cases');
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('LOGIN_EXPIRED');
  });

  it('refuses a wrong password, locks the account after 5 failures, and an administrator unlocks it', async () => {
    const c = client();
    const wrong = await c.login(tree.users.townshipMediator, 'not the password');
    expect(wrong.status).toBe(401);
    expect((wrong.body as { error: { code: string } }).error.code).toBe('WRONG_CREDENTIALS');
    for (let i = 0; i < 4; i++) await c.login(tree.users.townshipMediator, 'still wrong');
    const locked = await c.login(tree.users.townshipMediator, tree.password);
    expect(locked.status).toBe(423);
    expect((locked.body as { error: { code: string } }).error.code).toBe('ACCOUNT_LOCKED');

    const admin = await signedIn(tree.users.admin);
    expect((await admin.call('PATCH', `/accounts/${tree.ids.townshipMediator}`, { disabled: false })).status).toBe(200);
    expect((await c.login(tree.users.townshipMediator, tree.password)).status).toBe(200);
  });

  it('lets an administrator create a mediator and disable an account, ending its sign-ins', async () => {
    const admin = await signedIn(tree.users.admin);
    const created = await admin.call<{ account: { id: string } }>('POST', '/accounts', {
      username: `new-${Date.now()}`,
      displayName: '新调解员',
      staffRole: 'mediator',
      orgId: tree.township,
      password: 'a long enough password',
    });
    expect(created.status).toBe(201);
    const list = await admin.call<{ accounts: { id: string }[] }>('GET', '/accounts');
    expect(list.body.accounts.map((a) => a.id)).toContain(created.body.account.id);
    // A mediator is not an administrator.
    const mediator = await signedIn(tree.users.mediator);
    expect((await mediator.call('GET', '/accounts')).status).toBe(403);
    // Another organisation is not ours to add people to: 404, as if it did not exist.
    const foreign = await admin.call('POST', '/accounts', {
      username: `x-${Date.now()}`,
      displayName: 'x',
      staffRole: 'mediator',
      orgId: tree.other,
      password: 'a long enough password',
    });
    expect(foreign.status).toBe(404);

    const victim = await signedIn(tree.users.secondMediator);
    expect((await admin.call('PATCH', `/accounts/${tree.ids.secondMediator}`, { disabled: true })).status).toBe(200);
    expect((await victim.call('GET', '/cases')).status).toBe(401);
    const again = await client().login(tree.users.secondMediator, tree.password);
    expect((again.body as { error: { code: string } }).error.code).toBe('ACCOUNT_DISABLED');
    await admin.call('PATCH', `/accounts/${tree.ids.secondMediator}`, { disabled: false });
  });

  it('creates a case once, masks parties in lists, and hides it from another organisation', async () => {
    const mediator = await signedIn(tree.users.mediator);
    const input = newCase(tree);
    const created = await mediator.call<CaseBody>('POST', '/cases', input);
    expect(created.status).toBe(201);
    const twice = await mediator.call<{ error: { code: string } }>('POST', '/cases', input);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('CONFLICT');
    const list = await mediator.call<{ cases: CaseBody['case'][] }>('GET', '/cases');
    const mine = list.body.cases.filter((c) => c.caseNumber === input.caseNumber);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.parties[0]).toMatchObject({ phone: '138****5678', idNumber: '**************123X' });
    const detail = await mediator.call<CaseBody>('GET', `/cases/${created.body.case.id}`);
    expect(detail.body.case.parties[0]!.phone).toBe('13812345678');

    const outsider = await signedIn(tree.users.otherMediator);
    const hidden = await outsider.call<{ error: { code: string } }>('GET', `/cases/${created.body.case.id}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('NOT_FOUND');
    expect((await outsider.call<{ cases: unknown[] }>('GET', '/cases')).body.cases).toHaveLength(0);
    // The township station does not see its district centre's case; the district centre sees the station's.
    const township = await signedIn(tree.users.townshipMediator);
    expect((await township.call('GET', `/cases/${created.body.case.id}`)).status).toBe(404);
  });

  it('schedules a session once, issues a seat link and a printable slip, and lists it on the dashboard', async () => {
    const mediator = await signedIn(tree.users.mediator);
    const created = await mediator.call<CaseBody>('POST', '/cases', newCase(tree));
    const caseId = created.body.case.id;
    const scheduledAt = new Date(Date.now() + 3600_000).toISOString();
    const schedule = { type: 'mediation', scheduledAt, grantedOrgIds: [tree.other] };
    const first = await mediator.call<{ session: { id: string; orgId: string; caseId: string } }>(
      'POST',
      `/cases/${caseId}/sessions`,
      schedule,
    );
    expect(first.status).toBe(201);
    expect(first.body.session).toMatchObject({ orgId: tree.district, caseId });
    const second = await mediator.call<{ session: { id: string } }>('POST', `/cases/${caseId}/sessions`, schedule);
    expect(second.body.session.id).toBe(first.body.session.id);
    const sessionId = first.body.session.id;

    const seat = await mediator.call<{ url: string; seatId: string; expiresAt: string }>(
      'POST',
      `/cases/${caseId}/sessions/${sessionId}/seats`,
      {
        role: 'party',
        displayName: '王示例',
      },
    );
    expect(seat.status).toBe(201);
    expect(seat.body.url).toMatch(new RegExp(`^${server.url}/j/`));

    const slip = await fetch(`${server.url}/api/cases/${caseId}/sessions/${sessionId}/slip`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: mediator.cookie! },
      body: JSON.stringify({ url: seat.body.url, displayName: '王示例', expiresAt: seat.body.expiresAt }),
    });
    expect(slip.status).toBe(200);
    expect(slip.headers.get('content-type')).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'courtlink-slip-'));
    writeFileSync(join(dir, 'slip.pdf'), Buffer.from(await slip.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-raw', join(dir, 'slip.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('邀请函');
    expect(text).toContain(`案号：${created.body.case.caseNumber}`.replace(/\s+/g, ''));
    expect(text).toContain('受邀人：王示例');
    expect(text).toContain('示例村');
    const foreignSlip = await mediator.call('POST', `/cases/${caseId}/sessions/${sessionId}/slip`, {
      url: 'https://evil.example/j/x',
      displayName: '王示例',
      expiresAt: seat.body.expiresAt,
    });
    expect(foreignSlip.status).toBe(400);

    const dashboard = await mediator.call<{
      today: { session: { id: string }; parties: string[] }[];
      upcoming: { session: { id: string } }[];
    }>('GET', '/dashboard');
    const item = [...dashboard.body.today, ...dashboard.body.upcoming].find((i) => i.session.id === sessionId);
    expect(item).toMatchObject({ caseNumber: created.body.case.caseNumber, siteName: expect.stringContaining('示例村') });
    expect((item as unknown as { parties: string[] }).parties).toEqual(['王** (申请人)', '李** (被申请人)']);
    // Granted to the other organisation for this session only: it sees the session, not the case.
    const outsider = await signedIn(tree.users.otherMediator);
    const theirs = await outsider.call<{ today: { session: { id: string } }[]; upcoming: { session: { id: string } }[] }>(
      'GET',
      '/dashboard',
    );
    expect([...theirs.body.today, ...theirs.body.upcoming].map((i) => i.session.id)).toContain(sessionId);
    expect((await outsider.call('GET', `/cases/${caseId}`)).status).toBe(404);
  });

  it('writes one ledger entry per session, keeps outcome edits with before and after, and exports CSV with BOM and quoting', async () => {
    const mediator = await signedIn(tree.users.mediator);
    const created = await mediator.call<CaseBody>('POST', '/cases', newCase(tree));
    const scheduled = await mediator.call<{ session: { id: string } & Record<string, unknown> }>(
      'POST',
      `/cases/${created.body.case.id}/sessions`,
      {
        type: 'mediation',
        scheduledAt: '2026-03-10T02:00:00Z',
      },
    );
    const live = await server.sessions.require(scheduled.body.session.id);
    const ended = {
      session: live.summary,
      seats: [
        { role: 'mediator', displayName: '示例调解员' },
        { role: 'party', displayName: '王示例' },
      ],
      startedAt: '2026-03-10T02:00:00Z',
      endedAt: '2026-03-10T02:45:30Z',
    };
    const first = await server.backOffice.sessionEnded(ended);
    const again = await server.backOffice.sessionEnded({ ...ended, endedAt: '2026-03-10T05:00:00Z' });
    expect(again).toEqual(first);
    expect(first).toMatchObject({
      durationSeconds: 2730,
      caseNumber: created.body.case.caseNumber,
      participants: [{ name: '示****' }, { name: '王**' }],
    });

    const search = await mediator.call<{ entries: { sessionId: string }[] }>(
      'GET',
      `/ledger?from=2026-03-10&to=2026-03-10&siteId=${tree.villageSite}`,
    );
    expect(search.body.entries.map((e) => e.sessionId)).toEqual([scheduled.body.session.id]);
    expect((await mediator.call<{ entries: unknown[] }>('GET', '/ledger?from=2026-03-11&to=2026-03-11')).body.entries).toHaveLength(0);

    const sessionId = scheduled.body.session.id;
    const other = await signedIn(tree.users.secondMediator);
    expect((await other.call('PATCH', `/ledger/${sessionId}`, { outcome: 'agreement_reached' })).status).toBe(403);
    const outsider = await signedIn(tree.users.otherMediator);
    expect((await outsider.call('PATCH', `/ledger/${sessionId}`, { outcome: 'agreement_reached' })).status).toBe(404);
    expect((await outsider.call<{ entries: unknown[] }>('GET', '/ledger')).body.entries).toHaveLength(0);
    expect((await mediator.call('PATCH', `/ledger/${sessionId}`, { outcome: 'adjourned' })).status).toBe(200);
    expect((await mediator.call('PATCH', `/ledger/${sessionId}`, { outcome: 'agreement_reached' })).status).toBe(200);
    expect(await server.backOffice.ledger.edits(sessionId)).toEqual([
      expect.objectContaining({ accountId: tree.ids.mediator, before: null, after: 'adjourned' }),
      expect.objectContaining({ before: 'adjourned', after: 'agreement_reached' }),
    ]);
    // Each edit is in the session's hash-chained audit trail too, with the value before and after.
    const trail = await server.audit.entries(sessionId);
    expect(trail.filter((e) => e.type === 'ledger.outcomeEdited').map((e) => ({ actor: e.actor, data: e.data }))).toEqual([
      { actor: { kind: 'staff', accountId: tree.ids.mediator, staffRole: 'mediator' }, data: { after: 'adjourned' } },
      {
        actor: { kind: 'staff', accountId: tree.ids.mediator, staffRole: 'mediator' },
        data: { before: 'adjourned', after: 'agreement_reached' },
      },
    ]);
    expect(verifyChain(trail.map((e) => JSON.stringify(e)))).toMatchObject({ ok: true, entries: trail.length });

    const csv = await mediator.call('GET', '/ledger/export?from=2026-03-10&to=2026-03-10');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const raw = await (
      await fetch(`${server.url}/api/ledger/export?from=2026-03-10&to=2026-03-10`, { headers: { cookie: mediator.cookie! } })
    ).arrayBuffer();
    expect([...new Uint8Array(raw).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('案号,类型,场所,参加人,开始,结束,时长(秒),结果,录像,协议,裁定');
    expect(lines[1]).toBe(
      `${created.body.case.caseNumber},调解,"示例村, ""东头"" 法律服务室",示****、王**,2026-03-10T02:00:00Z,2026-03-10T02:45:30Z,2730,达成协议,,,`,
    );
  });

  it('calls the outcome-edited hook with the actor, before and after (the entry point of the audit trail)', async () => {
    const calls: unknown[][] = [];
    const ledger = new LedgerStore(server.redis, (...args) => {
      calls.push(args);
    });
    const sessionId = `hook-${tree.district}`;
    await ledger.write({
      sessionId,
      orgId: tree.district,
      type: 'hearing',
      siteIds: [],
      participants: [],
      startedAt: '2026-05-01T01:00:00Z',
      endedAt: '2026-05-01T02:00:00Z',
      durationSeconds: 3600,
      recordingIds: [],
      agreementIds: [],
      rulingIds: [],
    });
    const actor: StaffActor = { kind: 'staff', accountId: tree.ids.admin, staffRole: 'admin', orgId: tree.district };
    await ledger.setOutcome(sessionId, actor, 'confirmed');
    await ledger.setOutcome(sessionId, actor, 'confirmed'); // no change, no edit
    expect(calls).toEqual([[sessionId, actor, undefined, 'confirmed']]);
    expect(await ledger.edits(sessionId)).toHaveLength(1);
  });
});
