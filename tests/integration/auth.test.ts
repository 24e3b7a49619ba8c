import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue, errorCodes, type InviteClaims } from '../../signaling/index.js';
import { startTestServer, type TestServer, testJwtSecret } from '../support/server.js';
import {
  api,
  type ClientSocket,
  codeOf,
  connect,
  createSession,
  type Invite,
  invite,
  joinAdmitted,
  next,
  request,
  useSockets,
} from '../support/signaling.js';

const issuer = 'courtlink';
const joinAudience = 'courtlink:join';
const now = () => Math.floor(Date.now() / 1000);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs like the server does, unless told otherwise; an option set to undefined is left out. */
function forge(claims: object, options: jwt.SignOptions = {}, secret: string = testJwtSecret): string {
  const merged = { algorithm: 'HS256', issuer, audience: joinAudience, expiresIn: 600, ...options } as jwt.SignOptions;
  const defined = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as jwt.SignOptions;
  return jwt.sign(claims, secret, defined);
}

function claimsOf(sessionId: string, inv: Invite, role: InviteClaims['role'], displayName: string): InviteClaims {
  return { sessionId, seatId: inv.seatId, role, displayName };
}

describe('authentication', () => {
  let server: TestServer;
  const track = useSockets();

  /** The server's refusal at the handshake; fails the test if the socket connects. */
  async function refusal(token: unknown, extraAuth: Record<string, unknown> = {}): Promise<{ code: string; message: string }> {
    let socket: ClientSocket;
    try {
      socket = await connect(server, token, extraAuth);
    } catch (err) {
      const data = (err as { data?: { code: string; message: string } }).data;
      expect(data, `refusal of ${String(token).slice(0, 40)} has no data`).toBeDefined();
      // A catalogue code and a message, and nothing else: no stack, no library text.
      expect(Object.keys(data as object).sort()).toEqual(['code', 'message']);
      expect(errorCodes).toContain(data?.code);
      expect(data?.message).not.toMatch(/jwt|signature|algorithm|\.[jt]s:\d+/i);
      return data as { code: string; message: string };
    }
    socket.close();
    throw new Error('the socket connected with a token that should have been refused');
  }

  let sessionA: string;
  let sessionB: string;
  let partyA: Invite;
  let partyB: Invite;
  let validClaims: InviteClaims;

  beforeAll(async () => {
    server = await startTestServer();
    sessionA = await createSession(server, 'mediation', '甲案');
    sessionB = await createSession(server, 'mediation', '乙案');
    partyA = await invite(server, sessionA, 'party', '甲方当事人');
    partyB = await invite(server, sessionB, 'party', '乙方当事人');
    validClaims = claimsOf(sessionA, partyA, 'party', '甲方当事人');
  });
  afterAll(() => server?.stop());

  it('accepts a token issued by the API and one signed the same way by hand', async () => {
    track(await connect(server, partyA.token));
    track(await connect(server, forge(validClaims)));
  });

  describe('refuses at the handshake', () => {
    it('a missing token', async () => {
      expect((await refusal(undefined)).code).toBe('UNAUTHENTICATED');
      expect((await refusal('')).code).toBe('UNAUTHENTICATED');
    });

    it('a token that is not a string', async () => {
      expect((await refusal(42)).code).toBe('UNAUTHENTICATED');
      expect((await refusal({ token: partyA.token })).code).toBe('UNAUTHENTICATED');
      expect((await refusal([partyA.token])).code).toBe('UNAUTHENTICATED');
    });

    it('a garbage string', async () => {
      expect((await refusal('not-a-jwt')).code).toBe('UNAUTHENTICATED');
      expect((await refusal('a.b.c')).code).toBe('UNAUTHENTICATED');
      expect((await refusal('x'.repeat(5000))).code).toBe('UNAUTHENTICATED');
    });

    it('an expired token, with its own code and message', async () => {
      const expired = jwt.sign({ ...validClaims, exp: now() - 60 }, testJwtSecret, { algorithm: 'HS256', issuer, audience: joinAudience });
      const refused = await refusal(expired);
      expect(refused).toEqual({ code: 'TOKEN_EXPIRED', message: errorCatalogue.TOKEN_EXPIRED.message });
    });

    it('a tampered payload that keeps the original signature', async () => {
      const [header, payload, signature] = partyA.token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      expect(claims).toMatchObject({ seatId: partyA.seatId, role: 'party' });
      const promoted = `${header}.${b64url({ ...claims, role: 'mediator' })}.${signature}`;
      expect((await refusal(promoted)).code).toBe('UNAUTHENTICATED');
      const prolonged = `${header}.${b64url({ ...claims, exp: claims.exp + 86400 })}.${signature}`;
      expect((await refusal(prolonged)).code).toBe('UNAUTHENTICATED');
    });

    it('a token signed with another secret', async () => {
      expect((await refusal(forge(validClaims, {}, 'another-secret-that-is-long-enough-for-hs256-xyz'))).code).toBe('UNAUTHENTICATED');
    });

    it('a token for another audience', async () => {
      expect((await refusal(forge(validClaims, { audience: 'courtlink:other' }))).code).toBe('UNAUTHENTICATED');
      expect((await refusal(forge(validClaims, { audience: undefined }))).code).toBe('UNAUTHENTICATED');
    });

    it('a token from another issuer', async () => {
      expect((await refusal(forge(validClaims, { issuer: 'someone-else' }))).code).toBe('UNAUTHENTICATED');
      expect((await refusal(forge(validClaims, { issuer: undefined }))).code).toBe('UNAUTHENTICATED');
    });

    it('an unsigned token (alg "none")', async () => {
      const body = { ...validClaims, iss: issuer, aud: joinAudience, iat: now(), exp: now() + 600 };
      expect((await refusal(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(body)}.`)).code).toBe('UNAUTHENTICATED');
      // The original signature glued to an alg-none header does not help either.
      const signature = partyA.token.split('.')[2];
      expect((await refusal(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(body)}.${signature}`)).code).toBe('UNAUTHENTICATED');
    });

    it('a token signed with another algorithm, even with the right secret', async () => {
      expect((await refusal(forge(validClaims, { algorithm: 'HS512' }))).code).toBe('UNAUTHENTICATED');
      expect((await refusal(forge(validClaims, { algorithm: 'HS384' }))).code).toBe('UNAUTHENTICATED');
    });

    it('a token without exp', async () => {
      const forever = jwt.sign(validClaims, testJwtSecret, { algorithm: 'HS256', issuer, audience: joinAudience });
      expect(JSON.parse(Buffer.from(forever.split('.')[1] as string, 'base64url').toString())).not.toHaveProperty('exp');
      expect((await refusal(forever)).code).toBe('UNAUTHENTICATED');
    });

    it('a staff token used as an invite', async () => {
      const staff = server.tokens.signStaff({ sub: 'clerk-1', staffRole: 'admin' }, 600);
      expect((await refusal(staff)).code).toBe('UNAUTHENTICATED');
      // Even one carrying invite-shaped claims: the audience decides.
      const staffShaped = forge({ ...validClaims, sub: 'clerk-1', staffRole: 'admin' }, { audience: 'courtlink:staff' });
      expect((await refusal(staffShaped)).code).toBe('UNAUTHENTICATED');
    });

    it('a validly signed token whose claims fail the schema', async () => {
      const bad: object[] = [
        { ...validClaims, role: 'judge' },
        { ...validClaims, sessionId: 'x' },
        { ...validClaims, seatId: '../../etc' },
        { ...validClaims, displayName: '' },
        { sessionId: validClaims.sessionId, seatId: validClaims.seatId },
        { ...validClaims, role: 42 },
      ];
      for (const claims of bad) expect((await refusal(forge(claims))).code, JSON.stringify(claims)).toBe('UNAUTHENTICATED');
    });

    it('a valid token presented for another session', async () => {
      const refused = await refusal(partyA.token, { sessionId: sessionB });
      expect(refused.code).toBe('FORBIDDEN');
      // Naming the right session is fine.
      track(await connect(server, partyA.token, { sessionId: sessionA }));
    });
  });

  it('refuses to seat a token whose seat belongs to another session', async () => {
    const crossed = forge({ sessionId: sessionA, seatId: partyB.seatId, role: 'party', displayName: '乙方当事人' });
    // Refused at the handshake: no socket at all, and B's seat was not touched.
    await expect(connect(server, crossed)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    const { body } = await api<{ seats: { seatId: string; state: string; connected: boolean }[] }>(server, 'GET', `/sessions/${sessionB}`);
    expect(body.seats.find((s) => s.seatId === partyB.seatId)).toMatchObject({ state: 'invited', connected: false });
  });

  it('refuses a token whose role does not match its seat', async () => {
    const promoted = forge({ ...validClaims, role: 'mediator' });
    await expect(connect(server, promoted)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  it('answers NOT_FOUND for a token of a session that does not exist', async () => {
    const ghost = forge({ sessionId: 'no-such-session-0001', seatId: 'no-such-seat-0001', role: 'party', displayName: '无名' });
    await expect(connect(server, ghost)).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
  });

  it('never shows a holder of a token for A anything of session B', async () => {
    const a = await createSession(server, 'mediation', 'A 案');
    const b = await createSession(server, 'mediation', 'B 案');
    const hostAInvite = await invite(server, a, 'mediator', 'A 调解员');
    const hostBInvite = await invite(server, b, 'mediator', 'B 调解员');
    const partyAInvite = await invite(server, a, 'party', 'A 当事人');
    const partyBInvite = await invite(server, b, 'party', 'B 当事人');
    const waitingBInvite = await invite(server, b, 'party', 'B 候场');
    const bSeats = [hostBInvite.seatId, partyBInvite.seatId, waitingBInvite.seatId];

    const hostB = track(await joinAdmitted(server, undefined, hostBInvite));
    const hostA = track(await joinAdmitted(server, undefined, hostAInvite));
    const partyA = track(await joinAdmitted(server, hostA, partyAInvite));
    // One of B's seats borrowed into a token that names A: refused at the handshake.
    await expect(
      connect(server, forge({ sessionId: a, seatId: partyBInvite.seatId, role: 'party', displayName: 'B 当事人' })),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });

    const seenByA: unknown[] = [];
    for (const s of [hostA, partyA]) s.onAny((event, payload) => seenByA.push({ event, payload }));

    // Activity in B: a party is admitted, another waits, hands go up, the session is locked.
    const partyB = track(await joinAdmitted(server, hostB, partyBInvite));
    const waitingB = track(await connect(server, waitingBInvite.token));
    const waitingSeen = next(hostB, 'waiting:updated', (w) => w.waiting.some((p) => p.seatId === waitingBInvite.seatId));
    await request(waitingB, 'session:join', {});
    await waitingSeen;
    await request(partyB, 'session:raiseHand', { raised: true });
    await request(hostB, 'host:lock', { locked: true });

    // A's own view, fetched after all of that, lists only A.
    const rejoin = await request(hostA, 'session:join', {});
    expect(rejoin).toMatchObject({ state: 'admitted', session: { id: a } });
    const everythingA = JSON.stringify([rejoin, seenByA]);
    expect(everythingA).not.toContain(b);
    for (const seatId of bSeats) expect(everythingA).not.toContain(seatId);
    expect(everythingA).not.toContain('B 案');
    expect(everythingA).not.toContain('B 候场');

    // A host of A cannot act on B's seats either.
    expect(codeOf(await request(hostA, 'host:admit', { seatId: waitingBInvite.seatId }))).toBe('NOT_FOUND');
    expect(codeOf(await request(hostA, 'host:remove', { seatId: partyBInvite.seatId }))).toBe('NOT_FOUND');
    const { body } = await api<{ seats: { seatId: string; state: string }[] }>(server, 'GET', `/sessions/${b}`);
    expect(body.seats.find((s) => s.seatId === partyBInvite.seatId)?.state).toBe('admitted');
    expect(body.seats.find((s) => s.seatId === waitingBInvite.seatId)?.state).toBe('waiting');
  });

  describe('the staff REST API', () => {
    const sessionsPath = '/sessions';

    it('answers 401 UNAUTHENTICATED without a staff token', async () => {
      const res = await api(server, 'GET', sessionsPath, undefined, null);
      expect(res).toEqual({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: expect.any(String) } } });
      const created = await api(server, 'POST', sessionsPath, { type: 'mediation', title: '未授权' }, null);
      expect(created.status).toBe(401);
      expect(codeOf(created.body)).toBe('UNAUTHENTICATED');
    });

    it('answers 401 for an invite token presented as a Bearer token', async () => {
      const res = await api(server, 'GET', sessionsPath, undefined, partyA.token);
      expect(res.status).toBe(401);
      expect(codeOf(res.body)).toBe('UNAUTHENTICATED');
      const issued = await api(server, 'POST', `/sessions/${sessionA}/invites`, { role: 'mediator', displayName: '冒充' }, partyA.token);
      expect(issued.status).toBe(401);
      expect(codeOf(issued.body)).toBe('UNAUTHENTICATED');
    });

    it('answers 401 for a malformed Authorization header or a forged staff token', async () => {
      for (const header of ['Basic abc', 'Bearer', 'Bearer a b', `bearer ${partyA.token}`]) {
        const res = await fetch(`${server.url}/api/sessions`, { headers: { authorization: header } });
        expect(res.status, header).toBe(401);
        expect(codeOf(await res.json())).toBe('UNAUTHENTICATED');
      }
      const forged = forge(
        { sub: 'x', staffRole: 'admin' },
        { audience: 'courtlink:staff' },
        'another-secret-that-is-long-enough-for-hs256-xyz',
      );
      const res = await api(server, 'GET', sessionsPath, undefined, forged);
      expect(res.status).toBe(401);
      const expired = jwt.sign({ sub: 'x', staffRole: 'admin', exp: now() - 60 }, testJwtSecret, {
        algorithm: 'HS256',
        issuer,
        audience: 'courtlink:staff',
      });
      const late = await api(server, 'GET', sessionsPath, undefined, expired);
      expect(late.status).toBe(401);
      expect(codeOf(late.body)).toBe('TOKEN_EXPIRED');
    });

    it('serves a valid staff token', async () => {
      const res = await api<{ sessions: { id: string }[] }>(server, 'GET', sessionsPath);
      expect(res.status).toBe(200);
      expect(res.body.sessions.map((s) => s.id)).toContain(sessionA);
    });
  });
});
