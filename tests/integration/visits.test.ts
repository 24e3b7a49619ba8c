import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffClient, uniqueName } from '../support/backOffice.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { type ClientSocket, codeOf, connect, joinAdmitted, must, next, request, useSockets } from '../support/signaling.js';

type Link = { seatId: string; url: string };
type Scheduled = { sessionId: string; officer: Link; supervisedPerson: Link; family: (Link & { relationship: string })[] };

/** The correctional officer's side: a Bearer staff token of a correctional office. */
async function officerOf(server: TestServer) {
  const org = await server.backOffice.orgs.createOrg({ name: uniqueName('示例区司法局社区矫正科'), kind: 'correctional_office' });
  const token = server.tokens.signStaff({ sub: uniqueName('officer'), staffRole: 'correctional_officer', orgId: org.id }, 600);
  const client = new StaffClient(server.url);
  const call = <T>(method: string, path: string, body?: unknown) =>
    client.call<T>(method, path, body, { authorization: `Bearer ${token}` });
  return { org, call };
}

function visitBody(over: Record<string, unknown> = {}) {
  return {
    scheduledAt: new Date().toISOString(),
    officerName: '张矫正官',
    supervisedPerson: { name: '李某某' },
    family: [
      { name: '李母', relationship: '母亲', phone: '13812345678' },
      { name: '李妻', relationship: '配偶', phone: '13987654321' },
    ],
    ...over,
  };
}

/** The seat's invite token, as the /j/<id> page gets it. */
async function tokenOf(server: TestServer, link: Link): Promise<string> {
  const linkId = link.url.split('/j/')[1];
  const answer = await (await fetch(`${server.url}/api/invites/${linkId}`)).json();
  return (answer as { token: string }).token;
}

async function joinAs(server: TestServer, host: ClientSocket | undefined, link: Link) {
  return joinAdmitted(server, host, { seatId: link.seatId, token: await tokenOf(server, link), url: link.url, host: false });
}

describe('supervised correctional visits (社区矫正远程视频会见)', () => {
  let server: TestServer;
  let officer: Awaited<ReturnType<typeof officerOf>>;
  const track = useSockets();

  beforeAll(async () => {
    server = await startTestServer();
    officer = await officerOf(server);
  });
  afterAll(() => server?.stop());

  it('refuses an unapproved family member, admits them once approved, and only the officer can cut or allow chat', async () => {
    const scheduled = await officer.call<Scheduled>('POST', '/visits', visitBody());
    expect(scheduled.status).toBe(201);
    const { sessionId } = scheduled.body;
    const [mother, wife] = scheduled.body.family as unknown as [Link, Link];

    const host = track(await joinAs(server, undefined, scheduled.body.officer));
    const supervised = track(await joinAs(server, host, scheduled.body.supervisedPerson));

    // Not approved: the link gives no token (awaiting_approval, see visitLinks.test.ts), and a seat token made
    // anyway is refused at the socket handshake with its own code, and nothing changes.
    const unapproved = server.tokens.signInvite({ sessionId, seatId: mother.seatId, role: 'family', displayName: '李母' }, 600);
    const refused = await connect(server, unapproved).catch((err: Error & { data?: { code: string } }) => err);
    expect((refused as { data?: { code: string } }).data?.code).toBe('VISIT_FAMILY_UNAPPROVED');
    let visit = await officer.call<{ family: { seatId: string; approved: boolean; phone: string }[] }>('GET', `/visits/${sessionId}`);
    expect(visit.body.family.map((f) => f.approved)).toEqual([false, false]);
    expect(visit.body.family[0]?.phone).toBe('138****5678');

    visit = await officer.call('POST', `/visits/${sessionId}/family/${mother.seatId}/approve`);
    expect(visit.body.family.map((f) => f.approved)).toEqual([true, false]);
    const motherSocket = track(await joinAs(server, host, mother));
    const wifeToken = server.tokens.signInvite({ sessionId, seatId: wife.seatId, role: 'family', displayName: '李妻' }, 600);
    await expect(connect(server, wifeToken)).rejects.toMatchObject({ data: { code: 'VISIT_FAMILY_UNAPPROVED' } });

    // Chat is off for family and the supervised person until the officer allows it; only the officer can allow it.
    expect(codeOf(await request(motherSocket, 'chat:send', { text: '你好' }))).toBe('VISIT_CHAT_OFF');
    expect(codeOf(await request(supervised, 'chat:send', { text: '妈' }))).toBe('VISIT_CHAT_OFF');
    expect(codeOf(await request(supervised, 'visit:allowChat', { allowed: true }))).toBe('FORBIDDEN');
    const updated = next(motherSocket, 'session:updated', (s) => s.visitChatAllowed === true);
    must(await request(host, 'visit:allowChat', { allowed: true }));
    await updated;
    must(await request(motherSocket, 'chat:send', { text: '你好' }));

    // Only the officer (the host) cuts; family and the supervised person cannot, and family cannot share a screen.
    expect(codeOf(await request(supervised, 'host:remove', { seatId: mother.seatId }))).toBe('FORBIDDEN');
    expect(codeOf(await request(motherSocket, 'host:remove', { seatId: scheduled.body.supervisedPerson.seatId }))).toBe('FORBIDDEN');
    expect(codeOf(await request(motherSocket, 'host:mute', { seatId: scheduled.body.supervisedPerson.seatId }))).toBe('FORBIDDEN');
    const removed = next(motherSocket, 'session:removed');
    must(await request(host, 'host:remove', { seatId: mother.seatId }));
    expect((await removed).code).toBe('REMOVED');
  });

  it('refuses to start a visit after its window', async () => {
    const late = await officer.call<Scheduled>(
      'POST',
      '/visits',
      visitBody({ scheduledAt: new Date(Date.now() - 2 * 3600_000).toISOString(), startWindowMinutes: 30 }),
    );
    const answer = await officer.call<{ error: { code: string } }>('POST', `/visits/${late.body.sessionId}/start`);
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('VISIT_WINDOW_CLOSED');
    const after = await officer.call<{ endsAt?: string }>('GET', `/visits/${late.body.sessionId}`);
    expect(after.body.endsAt).toBeUndefined();
  });

  it('another organisation cannot see or approve the visit', async () => {
    const scheduled = await officer.call<Scheduled>('POST', '/visits', visitBody());
    const stranger = await officerOf(server);
    const seatId = scheduled.body.family[0]?.seatId;
    expect((await stranger.call('POST', `/visits/${scheduled.body.sessionId}/family/${seatId}/approve`)).status).toBe(404);
    expect((await stranger.call('GET', `/visits/${scheduled.body.sessionId}`)).status).toBe(404);
  });

  it('counts down, warns, ends by itself, and writes its record with the interventions into the ledger', async () => {
    const scheduled = await officer.call<Scheduled>('POST', '/visits', visitBody({ durationSeconds: 10, warnAtSeconds: [6, 3] }));
    const { sessionId } = scheduled.body;
    const [mother] = scheduled.body.family as unknown as [Link];
    await officer.call('POST', `/visits/${sessionId}/family/${mother.seatId}/approve`);
    const host = track(await joinAs(server, undefined, scheduled.body.officer));
    const supervised = track(await joinAs(server, host, scheduled.body.supervisedPerson));
    const motherSocket = track(await joinAs(server, host, mother));
    const warnings: number[] = [];
    motherSocket.on('visit:warning', (w) => warnings.push(w.secondsLeft));
    const ended = next(motherSocket, 'session:ended', () => true, 20_000);
    const endsAtSeen = next(supervised, 'session:updated', (s) => s.endsAt !== undefined);

    const started = await officer.call<{ endsAt: string }>('POST', `/visits/${sessionId}/start`);
    expect(started.status).toBe(200);
    const startedAt = Date.now();
    expect(Date.parse(started.body.endsAt) - startedAt).toBeGreaterThan(8_000);
    expect((await endsAtSeen).endsAt).toBe(started.body.endsAt);
    await ended;
    const endedAfter = Date.now() - startedAt;
    expect(endedAfter).toBeGreaterThan(9_000);
    expect(endedAfter).toBeLessThan(13_000);
    expect(warnings).toEqual([6, 3]);

    await expect.poll(async () => (await server.backOffice.ledger.get(sessionId))?.outcome, { timeout: 5000 }).toBe('visit_completed');
    const entry = await server.backOffice.ledger.get(sessionId);
    expect(entry?.type).toBe('visit');
    expect(entry?.durationSeconds).toBeGreaterThanOrEqual(9);
    expect(entry?.participants.map((p) => p.role).sort()).toEqual(['correctional_officer', 'family', 'supervised_person']);
    expect(JSON.stringify(entry)).not.toContain('李母');
    const visit = await officer.call<{ status: string; outcome: { endReason: string } }>('GET', `/visits/${sessionId}`);
    expect(visit.body.status).toBe('ended');
    expect(visit.body.outcome.endReason).toBe('deadline');
  });

  it('records the officer’s cuts as interventions', async () => {
    const scheduled = await officer.call<Scheduled>('POST', '/visits', visitBody({ durationSeconds: 10, warnAtSeconds: [] }));
    const { sessionId } = scheduled.body;
    const [mother] = scheduled.body.family as unknown as [Link];
    await officer.call('POST', `/visits/${sessionId}/family/${mother.seatId}/approve`);
    const host = track(await joinAs(server, undefined, scheduled.body.officer));
    track(await joinAs(server, host, mother));
    await officer.call('POST', `/visits/${sessionId}/start`);
    must(await request(host, 'host:remove', { seatId: mother.seatId }));
    await expect
      .poll(async () => (await server.backOffice.ledger.get(sessionId))?.interventions, { timeout: 15_000 })
      .toEqual([expect.objectContaining({ kind: 'cut', targetRole: 'family' })]);
  });

  it('still ends by itself when the server restarts in the middle', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtlink-visit-'));
    try {
      const first = await startTestServer({}, { dataDir });
      const staff = await officerOf(first);
      const scheduled = await staff.call<Scheduled>('POST', '/visits', visitBody({ durationSeconds: 6, warnAtSeconds: [] }));
      const { sessionId } = scheduled.body;
      expect((await staff.call('POST', `/visits/${sessionId}/start`)).status).toBe(200);
      await first.stop();
      await sleep(1000);
      const second = await startTestServer({}, { dataDir });
      try {
        // Nobody touches the visit: the persisted deadline alone loads the session and ends it.
        await expect
          .poll(async () => (await second.backOffice.ledger.get(sessionId))?.outcome, { timeout: 10_000, interval: 250 })
          .toBe('visit_completed');
        const session = await second.sessions.require(sessionId);
        expect(session.summary).toMatchObject({ status: 'ended', endReason: 'deadline' });
        const entries = await second.audit.entries(sessionId);
        const endings = entries.filter((e) => e.type === 'session.ended');
        expect(endings).toHaveLength(1);
        expect(endings[0]?.actor).toEqual({ kind: 'system', reason: 'deadline' });
        expect(Date.parse(endings[0]?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(session.summary.endsAt ?? ''));
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
