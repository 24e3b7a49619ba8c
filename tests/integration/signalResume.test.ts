import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewConsumer } from '../../signaling/index.js';
import { publish, receive } from '../support/mediaPeers.js';
import { serverPeer } from '../support/room.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  closed,
  codeOf,
  connect,
  createSession,
  invite,
  joinAdmitted,
  must,
  next,
  record,
  request,
  useSockets,
} from '../support/signaling.js';

/**
 * session:resume over real sockets and a real worker: a client whose socket is stuck (TCP back-off after a
 * thin spell) opens a fresh one and takes its seat over without rebuilding media (client/src/room/SignalWatch.ts).
 */
describe('signalling resume', () => {
  let server: TestServer;
  const track = useSockets();
  beforeAll(async () => {
    server = await startTestServer({ RECONNECT_GRACE_SECONDS: '2' });
  });
  afterAll(() => server?.stop());

  async function room() {
    const sessionId = await createSession(server);
    const hostInvite = await invite(server, sessionId, 'mediator', '调解员');
    const host = track(await joinAdmitted(server, undefined, hostInvite));
    const partyInvite = await invite(server, sessionId, 'party', '村民老张');
    const party = track(await joinAdmitted(server, host, partyInvite));
    return { sessionId, host, hostInvite, party, partyInvite };
  }

  it('moves a seat to a fresh socket in place: same transports and consumers, old socket closed quietly, the others told nothing', async () => {
    const { sessionId, host, party, partyInvite } = await room();
    const received = await receive(party);
    await publish(host);
    await expect.poll(() => received.live().length, { timeout: 10_000 }).toBe(2);
    const peer = await serverPeer(server, sessionId, partyInvite.seatId);
    const transportsBefore = [...peer.transports.keys()].sort();
    const consumersBefore = [...peer.consumers.keys()].sort();
    const hostHeard = record(host, ['peer:updated', 'peer:left', 'peer:joined']);
    const partyHeard = record(party, ['session:replaced']);
    const oldClosed = closed(party);

    const fresh = track(await connect(server, partyInvite.token));
    const answer = must(await request(fresh, 'session:resume', {}));
    expect(answer.state).toMatchObject({ state: 'admitted', resumed: true, you: { seatId: partyInvite.seatId, connected: true } });
    expect([...answer.consumerIds].sort()).toEqual(consumersBefore);
    await oldClosed;
    expect(partyHeard).toEqual([]);

    // Media untouched: the same peer, transports open, consumers the same.
    expect(await serverPeer(server, sessionId, partyInvite.seatId)).toBe(peer);
    expect([...peer.transports.keys()].sort()).toEqual(transportsBefore);
    expect([...peer.transports.values()].every((t) => !t.closed)).toBe(true);
    expect([...peer.consumers.keys()].sort()).toEqual(consumersBefore);

    // The seat's notifications and requests now go over the fresh socket.
    const chat = next(fresh, 'chat:message');
    must(await request(host, 'chat:send', { text: '请讲' }));
    expect(await chat).toMatchObject({ text: '请讲' });
    // Nobody else was told of a drop or a return.
    expect(hostHeard.filter((h) => (h.payload as { seatId?: string }).seatId === partyInvite.seatId)).toEqual([]);
    expect(await request(fresh, 'session:raiseHand', { raised: true })).toEqual({ ok: true });
  });

  it('offers again, on the fresh socket, a consumer whose offer waited on the stalled one', async () => {
    const { host, party, partyInvite } = await room();
    await receive(party);
    // The stalled socket never answers the offer.
    party.off('consumer:new');
    const stalledOffer = new Promise<NewConsumer>((resolve) => party.on('consumer:new', (o) => o.kind === 'video' && resolve(o)));
    await publish(host);
    const first = await stalledOffer;

    const fresh = track(await connect(server, partyInvite.token));
    // connect() answers offers as a client does.
    const reoffer = new Promise<NewConsumer>((resolve) => fresh.on('consumer:new', (o) => o.kind === 'video' && resolve(o)));
    const dropFirst = next(fresh, 'consumer:closed', (c) => c.consumerId === first.consumerId, 20_000);
    must(await request(fresh, 'session:resume', {}));
    const again = await reoffer;
    expect(again.producerId).toBe(first.producerId);
    expect(again.consumerId).not.toBe(first.consumerId);
    await dropFirst;
  });

  it('takes back a dropped seat within the grace period: the host sees it return, and the grace period no longer runs', async () => {
    const { sessionId, host, party, partyInvite } = await room();
    await receive(party);
    const away = next(host, 'peer:updated', (p) => p.seatId === partyInvite.seatId && !p.connected);
    party.close();
    await away;

    const fresh = track(await connect(server, partyInvite.token));
    const back = next(host, 'peer:updated', (p) => p.seatId === partyInvite.seatId && p.connected);
    must(await request(fresh, 'session:resume', {}));
    await back;
    // Past the 2 s grace period the seat is still admitted, with its media.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const session = await server.sessions.require(sessionId);
    expect(session.core.seats.get(partyInvite.seatId)?.state).toBe('admitted');
    expect((await serverPeer(server, sessionId, partyInvite.seatId)).transports.size).toBe(1);
    expect(await request(fresh, 'session:raiseHand', { raised: true })).toEqual({ ok: true });
  });

  it('refuses a seat with nothing to resume (waiting, or no media yet) with CONFLICT, and a join still works after', async () => {
    const sessionId = await createSession(server);
    const host = track(await joinAdmitted(server, undefined, await invite(server, sessionId, 'mediator', '调解员')));
    const partyInvite = await invite(server, sessionId, 'party', '王大妈');
    const waiting = track(await connect(server, partyInvite.token));
    expect(await request(waiting, 'session:join', {})).toMatchObject({ state: 'waiting' });
    const again = track(await connect(server, partyInvite.token));
    expect(codeOf(await request(again, 'session:resume', {}))).toBe('CONFLICT');
    // Bad input: a clear error, nothing changed.
    expect(codeOf(await request(again, 'session:resume', { seatId: 'x' } as never))).toBe('INVALID_PAYLOAD');

    // Admitted but without transports: nothing to keep, so the client is told to join.
    expect(await request(host, 'host:admit', { seatId: partyInvite.seatId })).toEqual({ ok: true });
    const third = track(await connect(server, partyInvite.token));
    expect(codeOf(await request(third, 'session:resume', {}))).toBe('CONFLICT');
    expect(await request(third, 'session:join', {})).toMatchObject({ state: 'admitted', resumed: true });
  });
});
