import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seatLimitDefaults } from '../../server/gateway/SeatLimits.js';
import { publish } from '../support/mediaPeers.js';
import { serverPeer } from '../support/room.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, codeOf, connect, createSession, invite, joinAdmitted, must, next, request, useSockets } from '../support/signaling.js';

/** The holes found when the server was tried as an attacker would; each test failed on the code before session core v2. */
describe('holes closed', () => {
  let server: TestServer;
  const track = useSockets();
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  const seatState = async (sessionId: string, seatId: string) =>
    (await api<{ seats: { seatId: string; state: string }[] }>(server, 'GET', `/sessions/${sessionId}`)).body.seats.find(
      (s) => s.seatId === seatId,
    )?.state;

  it('1. a removed auto-admitted court-staff link never gets back in, and cannot reset its seat with session:leave', async () => {
    const sessionId = await createSession(server);
    const host = track(await joinAdmitted(server, undefined, await invite(server, sessionId, 'mediator', '调解员')));
    must(await request(host, 'host:autoAdmit', { roles: ['court_staff'] }));
    const clerk = await invite(server, sessionId, 'court_staff', '书记员');
    const clerkSocket = track(await connect(server, clerk.token));
    expect(await request(clerkSocket, 'session:join', {})).toMatchObject({ state: 'admitted' });

    const removed = next(clerkSocket, 'session:removed');
    must(await request(host, 'host:remove', { seatId: clerk.seatId }));
    await removed;

    // The old trick: connect, leave (which used to reset the seat to "left"), join again (auto-admitted), end the session.
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(connect(server, clerk.token)).rejects.toMatchObject({ data: { code: 'REMOVED' } });
    }
    expect(await seatState(sessionId, clerk.seatId)).toBe('removed');
    // Even the policy asked directly: every action, including leave, is refused for the removed seat.
    const session = await server.sessions.require(sessionId);
    await expect(session.leave(clerk.seatId)).rejects.toMatchObject({ code: 'REMOVED' });
    expect(await seatState(sessionId, clerk.seatId)).toBe('removed');
    expect(session.summary.status).toBe('live');
    // The short link says so before any self-test.
    const link = await api<{ linkId: string; seatId: string }>(server, 'POST', `/sessions/${sessionId}/invites`, {
      role: 'party',
      displayName: '李四',
    });
    const partySocket = track(
      await connect(server, (await api<{ token: string }>(server, 'GET', `/invites/${link.body.linkId}`, undefined, null)).body.token),
    );
    must(await request(partySocket, 'session:join', {}));
    must(await request(host, 'host:deny', { seatId: link.body.seatId }));
    const dead = await api<{ status: string; token?: string }>(server, 'GET', `/invites/${link.body.linkId}`, undefined, null);
    expect(dead.body.status).toBe('denied');
    expect(dead.body.token).toBeUndefined();
  });

  it('2. repeated media:ready makes exactly one consumer per producer', async () => {
    const sessionId = await createSession(server);
    const hostInvite = await invite(server, sessionId, 'mediator', '调解员');
    const host = track(await joinAdmitted(server, undefined, hostInvite));
    const party = track(await joinAdmitted(server, host, await invite(server, sessionId, 'party', '当事人')));
    await publish(party);
    must(await request(host, 'media:createTransport', { direction: 'recv' }));
    const caps = must(await request(host, 'media:capabilities', {}));
    await Promise.all(Array.from({ length: 20 }, () => request(host, 'media:ready', { rtpCapabilities: caps.rtpCapabilities })));
    const peer = await serverPeer(server, sessionId, hostInvite.seatId);
    await expect.poll(() => peer.consumers.size).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(peer.consumers.size).toBe(2);
    expect(new Set([...peer.consumers.values()].map((c) => c.producerId)).size).toBe(2);
  });

  it('3. caps sockets and network probes per seat', async () => {
    const sessionId = await createSession(server);
    const party = await invite(server, sessionId, 'party', '当事人');
    const sockets = [];
    for (let i = 0; i < seatLimitDefaults.socketsPerSeat; i++) sockets.push(track(await connect(server, party.token)));
    await expect(connect(server, party.token)).rejects.toMatchObject({ data: { code: 'RATE_LIMITED' } });
    sockets.pop()?.close();
    await expect
      .poll(async () => {
        const again = await connect(server, party.token).catch(() => undefined);
        if (again) track(again);
        return again !== undefined;
      })
      .toBe(true);

    const [a, b] = sockets;
    if (!a || !b) throw new Error('sockets missing');
    expect(await request(a, 'probe:start', {})).toHaveProperty('transport.id');
    // One probe at a time per seat, across all of its sockets.
    expect(codeOf(await request(b, 'probe:start', {}))).toBe('CONFLICT');
    let refused: string | undefined;
    for (let i = 0; i < 8 && !refused; i++) refused = codeOf(await request(a, 'probe:start', {}));
    expect(refused).toBe('RATE_LIMITED');
  });

  it('6. counts unknown event names against the rate limit', async () => {
    const sessionId = await createSession(server);
    const socket = track(await connect(server, (await invite(server, sessionId, 'party', '当事人')).token));
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        (socket.timeout(5000).emitWithAck as (e: string, p: unknown) => Promise<unknown>)(`made:up${i}`, {}),
      ),
    );
    const codes = answers.map(codeOf);
    expect(codes).toContain('RATE_LIMITED');
    expect(codes.filter((c) => c === 'INVALID_PAYLOAD').length).toBeLessThan(300);
  });

  it('8. invite links are short and opaque, and dead links say why', async () => {
    const sessionId = await createSession(server);
    const hostInvite = await invite(server, sessionId, 'mediator', '调解员');
    const host = track(await joinAdmitted(server, undefined, hostInvite));
    const { body } = await api<{ url: string; linkId: string }>(server, 'POST', `/sessions/${sessionId}/invites`, {
      role: 'party',
      displayName: '王大爷',
    });
    const path = new URL(body.url).pathname;
    expect(path).toMatch(/^\/j\/[A-Za-z0-9]{16}$/);
    expect(path.length).toBeLessThan(40);
    expect(body.url).not.toContain(Buffer.from('王大爷').toString('base64url'));
    expect((await api(server, 'GET', '/invites/AAAAAAAAAAAAAAAA', undefined, null)).body).toMatchObject({
      error: { code: 'LINK_EXPIRED' },
    });
    expect((await api(server, 'GET', '/invites/..%2F..%2Fetc', undefined, null)).status).toBe(400);
    must(await request(host, 'host:end', {}));
    const ended = await api<{ status: string; token?: string }>(server, 'GET', `/invites/${body.linkId}`, undefined, null);
    expect(ended.body).toMatchObject({ status: 'ended' });
    expect(ended.body.token).toBeUndefined();
  });
});
