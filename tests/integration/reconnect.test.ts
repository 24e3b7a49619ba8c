import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Participant } from '../../signaling/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  api,
  type ClientSocket,
  closed,
  connect,
  createSession,
  invite,
  joinAdmitted,
  next,
  record,
  request,
  useSockets,
} from '../support/signaling.js';

type SessionView = { session: { id: string; status: string }; seats: Participant[] };

/**
 * The host's picture of the room, kept the way a client keeps it: from the
 * admitted state, then peer:joined / peer:updated / peer:left.
 */
function roomView(socket: ClientSocket, initial: Participant[]): { entries: Participant[] } {
  const view = { entries: [...initial] };
  socket.on('peer:joined', (p) => view.entries.push(p));
  socket.on('peer:updated', (p) => {
    view.entries = view.entries.map((e) => (e.seatId === p.seatId ? p : e));
  });
  socket.on('peer:left', ({ seatId }) => {
    view.entries = view.entries.filter((e) => e.seatId !== seatId);
  });
  return view;
}

describe('reconnection within and after the grace period', () => {
  let server: TestServer;
  const track = useSockets();
  beforeAll(async () => {
    server = await startTestServer({ RECONNECT_GRACE_SECONDS: '2' });
  });
  afterAll(() => server?.stop());

  it('resumes a dropped party within the grace period without the host admitting again', async () => {
    const sessionId = await createSession(server);
    const hostInvite = await invite(server, sessionId, 'mediator', '调解员');
    const host = track(await connect(server, hostInvite.token));
    const hostJoin = await request(host, 'session:join', {});
    if (!('participants' in hostJoin)) throw new Error(JSON.stringify(hostJoin));
    const view = roomView(host, hostJoin.participants);
    const seen = record(host, ['peer:joined', 'peer:updated', 'peer:left', 'waiting:updated']);

    const partyInvite = await invite(server, sessionId, 'party', '王大妈');
    const party = track(await joinAdmitted(server, host, partyInvite));
    expect(view.entries.filter((e) => e.seatId === partyInvite.seatId)).toHaveLength(1);
    seen.length = 0;

    // The network drops: the host sees the seat kept, but disconnected.
    const dropped = next(host, 'peer:updated', (p) => p.seatId === partyInvite.seatId && !p.connected);
    party.close();
    expect(await dropped).toMatchObject({ seatId: partyInvite.seatId, state: 'admitted', connected: false });
    expect(view.entries.filter((e) => e.seatId === partyInvite.seatId)).toEqual([
      expect.objectContaining({ connected: false, state: 'admitted' }),
    ]);

    // Back with the same link: straight into the room, no admit needed.
    const back = track(await connect(server, partyInvite.token));
    const resumedSeen = next(host, 'peer:updated', (p) => p.seatId === partyInvite.seatId && p.connected);
    const rejoin = await request(back, 'session:join', {});
    expect(rejoin).toMatchObject({
      state: 'admitted',
      resumed: true,
      you: { seatId: partyInvite.seatId, state: 'admitted', connected: true },
    });
    expect(await resumedSeen).toMatchObject({ seatId: partyInvite.seatId, state: 'admitted', connected: true });
    expect(await request(back, 'media:capabilities', {})).toHaveProperty('rtpCapabilities.codecs');

    // The host heard updates only: no second join, no leave, nothing in the waiting room.
    expect(seen.map((s) => s.event)).toEqual(['peer:updated', 'peer:updated']);
    expect(view.entries.filter((e) => e.seatId === partyInvite.seatId)).toHaveLength(1);

    // The seat list holds the seat once, and a newcomer sees it once.
    const { body } = await api<SessionView>(server, 'GET', `/sessions/${sessionId}`);
    expect(body.seats.filter((s) => s.seatId === partyInvite.seatId)).toEqual([
      expect.objectContaining({ state: 'admitted', connected: true }),
    ]);
    const clerkInvite = await invite(server, sessionId, 'court_staff', '书记员');
    const clerk = track(await connect(server, clerkInvite.token));
    const clerkAdmitted = next(clerk, 'session:admitted');
    expect(await request(clerk, 'session:join', {})).toMatchObject({ state: 'waiting' });
    expect(await request(host, 'host:admit', { seatId: clerkInvite.seatId })).toEqual({ ok: true });
    const clerkState = await clerkAdmitted;
    expect(clerkState.participants.filter((p) => p.seatId === partyInvite.seatId)).toHaveLength(1);
    expect(clerkState.participants.map((p) => p.seatId).sort()).toEqual([hostInvite.seatId, partyInvite.seatId].sort());
  });

  it('moves a second tab onto the seat and closes the first, keeping one entry', async () => {
    const sessionId = await createSession(server);
    const hostInvite = await invite(server, sessionId, 'mediator', '调解员');
    const host = track(await connect(server, hostInvite.token));
    const hostJoin = await request(host, 'session:join', {});
    if (!('participants' in hostJoin)) throw new Error(JSON.stringify(hostJoin));
    const view = roomView(host, hostJoin.participants);

    const partyInvite = await invite(server, sessionId, 'party', '李四');
    const first = track(await joinAdmitted(server, host, partyInvite));
    const replaced = next(first, 'session:replaced');
    const firstClosed = closed(first);
    const seen = record(host, ['peer:joined', 'peer:left']);

    const second = track(await connect(server, partyInvite.token));
    expect(await request(second, 'session:join', {})).toMatchObject({ state: 'admitted', resumed: true });
    await replaced;
    await firstClosed;
    // The old socket's disconnect does not mark the seat as away: the new socket holds it.
    expect(await request(second, 'session:raiseHand', { raised: true })).toEqual({ ok: true });
    const { body } = await api<SessionView>(server, 'GET', `/sessions/${sessionId}`);
    expect(body.seats.filter((s) => s.seatId === partyInvite.seatId)).toEqual([expect.objectContaining({ connected: true })]);
    expect(seen).toEqual([]);
    expect(view.entries.filter((e) => e.seatId === partyInvite.seatId)).toEqual([expect.objectContaining({ connected: true })]);
  });

  it('releases the seat after the grace period: the host hears a timeout and the party waits again', async () => {
    const sessionId = await createSession(server);
    const host = track(await joinAdmitted(server, undefined, await invite(server, sessionId, 'mediator', '调解员')));
    const partyInvite = await invite(server, sessionId, 'party', '赵六');
    const party = track(await joinAdmitted(server, host, partyInvite));

    const dropped = next(host, 'peer:updated', (p) => p.seatId === partyInvite.seatId && !p.connected);
    const timedOut = next(host, 'peer:left', (p) => p.seatId === partyInvite.seatId, 8_000);
    const droppedAt = Date.now();
    party.close();
    await dropped;
    expect(await timedOut).toEqual({ seatId: partyInvite.seatId, reason: 'timeout' });
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(1_900);

    const { body } = await api<SessionView>(server, 'GET', `/sessions/${sessionId}`);
    expect(body.seats.find((s) => s.seatId === partyInvite.seatId)).toMatchObject({ state: 'left', connected: false });

    const back = track(await connect(server, partyInvite.token));
    const waitingSeen = next(host, 'waiting:updated', (w) => w.waiting.some((p) => p.seatId === partyInvite.seatId));
    expect(await request(back, 'session:join', {})).toMatchObject({ state: 'waiting', you: { seatId: partyInvite.seatId } });
    await waitingSeen;
    expect((await request(back, 'media:capabilities', {})) as unknown).toMatchObject({ error: { code: 'NOT_ADMITTED' } });

    // The host can admit them again as usual.
    const admitted = next(back, 'session:admitted');
    expect(await request(host, 'host:admit', { seatId: partyInvite.seatId })).toEqual({ ok: true });
    expect(await admitted).toMatchObject({ resumed: false, you: { seatId: partyInvite.seatId } });
  });
});

describe('reconnection across a server restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'courtlink-test-restart-'));
  const servers: TestServer[] = [];
  const track = useSockets();
  afterAll(async () => {
    for (const s of servers) await s.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the session and its seats, and lets an admitted party straight back in', async () => {
    const first = await startTestServer({ RECONNECT_GRACE_SECONDS: '30' }, { dataDir });
    servers.push(first);
    const sessionId = await createSession(first, 'mediation', '重启前的调解');
    const hostInvite = await invite(first, sessionId, 'mediator', '调解员');
    const partyInvite = await invite(first, sessionId, 'party', '孙七');
    const waiterInvite = await invite(first, sessionId, 'party', '候场者');
    const host = track(await joinAdmitted(first, undefined, hostInvite));
    const party = track(await joinAdmitted(first, host, partyInvite));
    const waiter = track(await connect(first, waiterInvite.token));
    expect(await request(waiter, 'session:join', {})).toMatchObject({ state: 'waiting' });

    const partyGone = closed(party);
    await first.stop();
    servers.splice(servers.indexOf(first), 1);
    await partyGone;

    const second = await startTestServer({ RECONNECT_GRACE_SECONDS: '30' }, { dataDir });
    servers.push(second);
    expect(second.url).not.toBe(first.url);

    const { status, body } = await api<SessionView>(second, 'GET', `/sessions/${sessionId}`);
    expect(status).toBe(200);
    expect(body.session).toMatchObject({ id: sessionId, status: 'live', title: '重启前的调解' });
    const stateOf = (seatId: string) => body.seats.find((s) => s.seatId === seatId);
    expect(stateOf(hostInvite.seatId)).toMatchObject({ state: 'admitted', host: true, connected: false });
    expect(stateOf(partyInvite.seatId)).toMatchObject({ state: 'admitted', connected: false });
    expect(stateOf(waiterInvite.seatId)).toMatchObject({ state: 'waiting', connected: false });

    // The same links still work; the party is back in without anyone admitting them.
    const hostBack = track(await connect(second, hostInvite.token));
    expect(await request(hostBack, 'session:join', {})).toMatchObject({ state: 'admitted', resumed: true, you: { host: true } });
    const partyBack = track(await connect(second, partyInvite.token));
    const joinedSeen = next(hostBack, 'peer:joined', (p) => p.seatId === partyInvite.seatId);
    const rejoin = await request(partyBack, 'session:join', {});
    expect(rejoin).toMatchObject({
      state: 'admitted',
      resumed: true,
      you: { seatId: partyInvite.seatId, state: 'admitted', connected: true },
      participants: [expect.objectContaining({ seatId: hostInvite.seatId })],
    });
    expect(await joinedSeen).toMatchObject({ seatId: partyInvite.seatId, connected: true });
    expect(await request(partyBack, 'media:capabilities', {})).toHaveProperty('rtpCapabilities.codecs');

    // Someone who was only waiting waits again.
    const waiterBack = track(await connect(second, waiterInvite.token));
    expect(await request(waiterBack, 'session:join', {})).toMatchObject({ state: 'waiting' });

    const after = await api<SessionView>(second, 'GET', `/sessions/${sessionId}`);
    expect(after.body.seats.filter((s) => s.seatId === partyInvite.seatId)).toEqual([
      expect.objectContaining({ state: 'admitted', connected: true }),
    ]);
  });

  it('sends a party back to the waiting room when the server was down for longer than the grace period', async () => {
    const first = await startTestServer({ RECONNECT_GRACE_SECONDS: '1' }, { dataDir });
    servers.push(first);
    const sessionId = await createSession(first, 'mediation', '长时间停机');
    const hostInvite = await invite(first, sessionId, 'mediator', '调解员');
    const partyInvite = await invite(first, sessionId, 'party', '周八');
    const host = track(await joinAdmitted(first, undefined, hostInvite));
    const party = track(await joinAdmitted(first, host, partyInvite));
    const partyGone = closed(party);
    await first.stop();
    servers.splice(servers.indexOf(first), 1);
    await partyGone;
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const second = await startTestServer({ RECONNECT_GRACE_SECONDS: '1' }, { dataDir });
    servers.push(second);
    const hostBack = track(await connect(second, hostInvite.token));
    expect(await request(hostBack, 'session:join', {})).toMatchObject({ state: 'admitted', you: { host: true } });
    const partyBack = track(await connect(second, partyInvite.token));
    const waitingSeen = next(hostBack, 'waiting:updated', (w) => w.waiting.some((p) => p.seatId === partyInvite.seatId));
    expect(await request(partyBack, 'session:join', {})).toMatchObject({ state: 'waiting' });
    await waitingSeen;
    const admitted = next(partyBack, 'session:admitted');
    expect(await request(hostBack, 'host:admit', { seatId: partyInvite.seatId })).toEqual({ ok: true });
    expect(await admitted).toMatchObject({ resumed: false });
  });
});
