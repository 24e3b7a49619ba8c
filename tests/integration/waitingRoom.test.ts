import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeOf, connect, createSession, invite, joinAdmitted, next, request, useSockets } from '../support/signaling.js';

describe('waiting room', () => {
  let server: TestServer;
  const track = useSockets();
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('admits the host directly and holds a party until the host admits them', async () => {
    const sessionId = await createSession(server);
    const hostInvite = await invite(server, sessionId, 'mediator', '李调解员');
    expect(hostInvite.host).toBe(true);
    const partyInvite = await invite(server, sessionId, 'party', '王大爷');

    const host = track(await connect(server, hostInvite.token));
    const hostJoin = await request(host, 'session:join', {});
    expect(hostJoin).toMatchObject({ state: 'admitted', you: { role: 'mediator', host: true }, waiting: [] });

    const party = track(await connect(server, partyInvite.token));
    const waitingSeen = next(host, 'waiting:updated', (p) => p.waiting.length === 1);
    const partyJoin = await request(party, 'session:join', { selfTest: { verdict: 'okay', rttMs: 180, udp: false } });
    expect(partyJoin).toMatchObject({ state: 'waiting', you: { displayName: '王大爷', role: 'party' } });

    const { waiting } = await waitingSeen;
    expect(waiting[0]).toMatchObject({ seatId: partyInvite.seatId, displayName: '王大爷', role: 'party', selfTest: { verdict: 'okay' } });

    // Nothing but join and leave works before admission.
    expect(codeOf(await request(party, 'media:capabilities', {}))).toBe('NOT_ADMITTED');

    const admitted = next(party, 'session:admitted');
    const joinedSeen = next(host, 'peer:joined');
    expect(await request(host, 'host:admit', { seatId: partyInvite.seatId })).toEqual({ ok: true });
    const state = await admitted;
    expect(state.participants.map((p) => p.seatId)).toEqual([hostInvite.seatId]);
    expect((await joinedSeen).seatId).toBe(partyInvite.seatId);
    expect(await request(party, 'media:capabilities', {})).toHaveProperty('rtpCapabilities.codecs');
  });

  it('tells a denied party, and their link never opens the session again', async () => {
    const sessionId = await createSession(server);
    const host = track(await joinAdmitted(server, undefined, await invite(server, sessionId, 'mediator', '调解员')));
    const partyInvite = await invite(server, sessionId, 'party', '张三');
    const party = track(await connect(server, partyInvite.token));
    await request(party, 'session:join', {});

    const denied = next(party, 'session:denied');
    expect(await request(host, 'host:deny', { seatId: partyInvite.seatId })).toEqual({ ok: true });
    expect(await denied).toMatchObject({ code: 'DENIED' });

    // Refused at the handshake: a denied link never gets a socket again.
    await expect(connect(server, partyInvite.token)).rejects.toMatchObject({ data: { code: 'DENIED' } });
  });

  it('holds newcomers in the waiting room while locked, where the host sees them, and admits chosen staff roles automatically', async () => {
    const sessionId = await createSession(server);
    const host = track(await joinAdmitted(server, undefined, await invite(server, sessionId, 'mediator', '调解员')));
    const clerk = await invite(server, sessionId, 'court_staff', '书记员');
    const party = await invite(server, sessionId, 'party', '当事人');

    expect(await request(host, 'host:autoAdmit', { roles: ['court_staff'] })).toEqual({ ok: true });
    const clerkSocket = track(await connect(server, clerk.token));
    expect(await request(clerkSocket, 'session:join', {})).toMatchObject({ state: 'admitted' });

    const updated = next(host, 'session:updated', (s) => s.locked);
    expect(await request(host, 'host:lock', { locked: true })).toEqual({ ok: true });
    expect((await updated).locked).toBe(true);
    const partySocket = track(await connect(server, party.token));
    const seen = next(host, 'waiting:updated', ({ waiting }) => waiting.some((p) => p.seatId === party.seatId));
    expect(await request(partySocket, 'session:join', {})).toMatchObject({ state: 'waiting' });
    await seen;
    // Locked also stops the automatic admission of staff roles.
    const lateClerk = await invite(server, sessionId, 'court_staff', '书记员二');
    const lateSocket = track(await connect(server, lateClerk.token));
    expect(await request(lateSocket, 'session:join', {})).toMatchObject({ state: 'waiting' });
    expect(await request(host, 'host:admit', { seatId: party.seatId })).toEqual({ ok: true });
  });

  it('ends the session for everyone, waiting or admitted', async () => {
    const sessionId = await createSession(server);
    const hostInvite = await invite(server, sessionId, 'mediator', '调解员');
    const host = track(await joinAdmitted(server, undefined, hostInvite));
    const a = await invite(server, sessionId, 'party', '甲方');
    const b = await invite(server, sessionId, 'party', '乙方');
    const admitted = track(await joinAdmitted(server, host, a));
    const waiting = track(await connect(server, b.token));
    await request(waiting, 'session:join', {});

    const endedA = next(admitted, 'session:ended');
    const endedB = next(waiting, 'session:ended');
    expect(await request(host, 'host:end', {})).toEqual({ ok: true });
    expect(await endedA).toMatchObject({ code: 'SESSION_ENDED' });
    expect(await endedB).toMatchObject({ code: 'SESSION_ENDED' });

    await expect(connect(server, hostInvite.token)).rejects.toMatchObject({ data: { code: 'SESSION_ENDED' } });
    expect((await (await fetch(`${server.url}/healthz`)).json()).status).toBe('ok');
  });
});
