import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffClient, uniqueName } from '../support/backOffice.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { connect, must, request, useSockets } from '../support/signaling.js';

type Link = { seatId: string; url: string; displayName: string };
type Scheduled = { sessionId: string; officer: Link; supervisedPerson: Link; family: (Link & { relationship: string })[] };
type LinkAnswer = { status: string; token?: string; seat: { role: string; displayName: string } };

describe('a visit family member’s invite link before and after approval', () => {
  let server: TestServer;
  let call: <T>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
  const track = useSockets();

  beforeAll(async () => {
    server = await startTestServer();
    const org = await server.backOffice.orgs.createOrg({ name: uniqueName('示例区司法局社区矫正科'), kind: 'correctional_office' });
    const token = server.tokens.signStaff({ sub: uniqueName('officer'), staffRole: 'correctional_officer', orgId: org.id }, 600);
    const client = new StaffClient(server.url);
    call = (method, path, body) => client.call(method, path, body, { authorization: `Bearer ${token}` });
  });
  afterAll(() => server?.stop());

  const resolve = async (link: Link) => {
    const res = await fetch(`${server.url}/api/invites/${link.url.split('/j/')[1]}`);
    return { status: res.status, body: (await res.json()) as LinkAnswer };
  };

  it('answers awaiting_approval with no token until the officer approves, then open with a token that joins', async () => {
    const scheduled = await call<Scheduled>('POST', '/visits', {
      scheduledAt: new Date().toISOString(),
      officerName: '张矫正官',
      supervisedPerson: { name: '李某某' },
      family: [{ name: '李母', relationship: '母亲', phone: '13812345678' }],
    });
    expect(scheduled.status).toBe(201);
    const [mother] = scheduled.body.family;
    if (!mother) throw new Error('no family link');

    const before = await resolve(mother);
    expect(before.status).toBe(200);
    expect(before.body.status).toBe('awaiting_approval');
    expect(before.body.token).toBeUndefined();
    expect(before.body.seat).toEqual({ role: 'family', displayName: '李母' });
    // The officer's and the supervised person's links are not held back.
    expect((await resolve(scheduled.body.officer)).body.status).toBe('open');
    expect((await resolve(scheduled.body.supervisedPerson)).body.status).toBe('open');

    // The staff page's list shows the visit with the family member unapproved.
    const listed = await call<{ visits: { sessionId: string; family: { seatId: string; approved: boolean; phone: string }[] }[] }>(
      'GET',
      '/visits',
    );
    const mine = listed.body.visits.find((v) => v.sessionId === scheduled.body.sessionId);
    expect(mine?.family).toEqual([expect.objectContaining({ seatId: mother.seatId, approved: false, phone: '138****5678' })]);

    expect((await call('POST', `/visits/${scheduled.body.sessionId}/family/${mother.seatId}/approve`)).status).toBe(200);
    const after = await resolve(mother);
    expect(after.body.status).toBe('open');
    expect(after.body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // The token is a real seat token: the socket handshake takes it.
    const socket = track(await connect(server, after.body.token ?? ''));
    const joined = must(await request(socket, 'session:join', {}));
    expect(joined.you.seatId).toBe(mother.seatId);
  });

  it('hands out fresh links to the same seats, still awaiting approval for an unapproved family member', async () => {
    const scheduled = await call<Scheduled>('POST', '/visits', {
      scheduledAt: new Date().toISOString(),
      officerName: '张矫正官',
      supervisedPerson: { name: '王某某' },
      family: [{ name: '王父', relationship: '父亲', phone: '13987654321' }],
    });
    const fresh = await call<Scheduled>('POST', `/visits/${scheduled.body.sessionId}/links`);
    expect(fresh.status).toBe(200);
    expect(fresh.body.officer.seatId).toBe(scheduled.body.officer.seatId);
    expect(fresh.body.officer.url).not.toBe(scheduled.body.officer.url);
    expect(fresh.body.family.map((f) => [f.seatId, f.relationship])).toEqual([[scheduled.body.family[0]?.seatId, '父亲']]);
    const [father] = fresh.body.family;
    if (!father) throw new Error('no family link');
    expect((await resolve(father)).body.status).toBe('awaiting_approval');
    expect((await resolve(fresh.body.officer)).body.status).toBe('open');
  });

  it('does not hand out another organisation’s links', async () => {
    const scheduled = await call<Scheduled>('POST', '/visits', {
      scheduledAt: new Date().toISOString(),
      officerName: '张矫正官',
      supervisedPerson: { name: '赵某某' },
      family: [{ name: '赵妻', relationship: '配偶', phone: '13712345678' }],
    });
    const other = await server.backOffice.orgs.createOrg({ name: uniqueName('另一矫正科'), kind: 'correctional_office' });
    const stranger = server.tokens.signStaff({ sub: uniqueName('officer'), staffRole: 'correctional_officer', orgId: other.id }, 600);
    const answer = await new StaffClient(server.url).call<{ error: { code: string } }>(
      'POST',
      `/visits/${scheduled.body.sessionId}/links`,
      undefined,
      { authorization: `Bearer ${stranger}` },
    );
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('NOT_FOUND');
    const theirs = await new StaffClient(server.url).call<{ visits: { sessionId: string }[] }>('GET', '/visits', undefined, {
      authorization: `Bearer ${stranger}`,
    });
    expect(theirs.body.visits.map((v) => v.sessionId)).not.toContain(scheduled.body.sessionId);
  });
});
