import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish, receive, sendersOf } from '../support/mediaPeers.js';
import { serverPeer } from '../support/room.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  type ClientSocket,
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
 * Private caucus (背对背调解) over real sockets, a real worker and real Redis:
 * the one audience rule decides media offers, chat and the active speaker.
 */
describe('caucus rooms', () => {
  let server: TestServer;
  const track = useSockets();
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  async function fourPeople() {
    const sessionId = await createSession(server, 'mediation', '背对背调解');
    const mediatorInvite = await invite(server, sessionId, 'mediator', '调解员');
    const mediator = track(await joinAdmitted(server, undefined, mediatorInvite));
    const aInvite = await invite(server, sessionId, 'party', '申请人甲');
    const counselInvite = await invite(server, sessionId, 'counsel', '甲方律师');
    const bInvite = await invite(server, sessionId, 'party', '被申请人乙');
    const seats = { mediator: mediatorInvite.seatId, a: aInvite.seatId, counsel: counselInvite.seatId, b: bInvite.seatId };
    const a = track(await joinAdmitted(server, mediator, aInvite));
    const counsel = track(await joinAdmitted(server, mediator, counselInvite));
    const b = track(await joinAdmitted(server, mediator, bInvite));
    return { sessionId, seats, sockets: { mediator, a, counsel, b } as Record<'mediator' | 'a' | 'counsel' | 'b', ClientSocket> };
  }

  it('isolates a caucus: offers, direct consumes, moves within a second, and bringing everyone back', async () => {
    const { sessionId, seats, sockets } = await fourPeople();
    const receivers = {
      mediator: await receive(sockets.mediator),
      a: await receive(sockets.a),
      counsel: await receive(sockets.counsel),
      b: await receive(sockets.b),
    };
    const producers = {
      a: await publish(sockets.a),
      counsel: await publish(sockets.counsel),
      b: await publish(sockets.b),
      mediator: await publish(sockets.mediator),
    };
    await expect.poll(() => sendersOf(receivers.b.live())).toEqual([seats.a, seats.counsel, seats.mediator].sort());

    // The mediator opens a caucus and moves A with A's counsel into it, then goes in too.
    const { roomId } = must(await request(sockets.mediator, 'caucus:open', { name: '申请人一方' }));
    const movedAt = Date.now();
    const aLocation = next(sockets.a, 'peer:updated', (p) => p.seatId === seats.a && p.location === roomId);
    expect(await request(sockets.mediator, 'caucus:move', { seatIds: [seats.a, seats.counsel], roomId })).toEqual({ ok: true });
    await aLocation;

    // B no longer receives A or counsel: closed within a second, and never offered again.
    await expect.poll(() => sendersOf(receivers.b.live()), { timeout: 1000, interval: 20 }).toEqual([seats.mediator]);
    expect(Date.now() - movedAt).toBeLessThan(1000);
    await expect.poll(() => sendersOf(receivers.a.live()), { timeout: 1000 }).toEqual([seats.counsel]);
    const bPeer = await serverPeer(server, sessionId, seats.b);
    expect([...bPeer.consumers.values()].map((c) => c.appData.producerSeatId)).not.toContain(seats.a);

    // Asking for a producer of another room by id is refused.
    expect(codeOf(await request(sockets.b, 'media:consume', { producerId: producers.a.camera }))).toBe('FORBIDDEN');
    expect(codeOf(await request(sockets.a, 'media:consume', { producerId: producers.b.mic }))).toBe('FORBIDDEN');

    // The mediator goes into the caucus: now receives A and counsel, no longer B.
    expect(await request(sockets.mediator, 'caucus:move', { seatIds: [seats.mediator], roomId })).toEqual({ ok: true });
    await expect.poll(() => sendersOf(receivers.mediator.live())).toEqual([seats.a, seats.counsel].sort());
    await expect.poll(() => sendersOf(receivers.b.live())).toEqual([]);
    expect(await request(sockets.a, 'media:consume', { producerId: producers.mediator.mic })).toEqual({ ok: true });

    // Bring everyone back: everyone receives everyone again.
    expect(await request(sockets.mediator, 'caucus:returnAll', {})).toEqual({ ok: true });
    await expect.poll(() => sendersOf(receivers.b.live())).toEqual([seats.a, seats.counsel, seats.mediator].sort());
    await expect.poll(() => sendersOf(receivers.a.live())).toEqual([seats.b, seats.counsel, seats.mediator].sort());
    // Exactly one live consumer per producer, even after moving back and forth.
    for (const r of Object.values(receivers)) {
      const producerIds = r.live().map((o) => o.producerId);
      expect(new Set(producerIds).size).toBe(producerIds.length);
    }
  });

  it('keeps chat in the room, persists locations across a reconnect, and refuses caucus to everyone but the host', async () => {
    const { sessionId, seats, sockets } = await fourPeople();
    const { roomId } = must(await request(sockets.mediator, 'caucus:open', { name: '被申请人一方' }));
    must(await request(sockets.mediator, 'caucus:move', { seatIds: [seats.b, seats.mediator], roomId }));

    // Chat: the mediator writes to everyone in the caucus; A (joint room) hears nothing.
    const heardByA = record(sockets.a, ['chat:message']);
    const toB = next(sockets.b, 'chat:message');
    expect(await request(sockets.mediator, 'chat:send', { text: '单独和您谈一下' })).toEqual({ ok: true });
    expect(await toB).toMatchObject({ text: '单独和您谈一下' });
    // A party in the joint room writes to the hosts: the mediator is not in the room, so nobody there hears it.
    const heardByMediator = record(sockets.mediator, ['chat:message']);
    expect(await request(sockets.a, 'chat:send', { text: '调解员在吗' })).toEqual({ ok: true });
    // A host cannot address someone in another room.
    expect(codeOf(await request(sockets.mediator, 'chat:send', { text: '你好', to: seats.a }))).toBe('NOT_FOUND');
    await new Promise((r) => setTimeout(r, 200));
    expect(heardByA.map((m) => (m.payload as { text: string }).text)).toEqual(['调解员在吗']);
    expect(heardByMediator).toEqual([]);

    // Only the host opens, moves and returns.
    for (const who of ['a', 'b', 'counsel'] as const) {
      expect(codeOf(await request(sockets[who], 'caucus:open', { name: '私下' }))).toBe('FORBIDDEN');
      expect(codeOf(await request(sockets[who], 'caucus:move', { seatIds: [seats.a], roomId }))).toBe('FORBIDDEN');
      expect(codeOf(await request(sockets[who], 'caucus:returnAll', {}))).toBe('FORBIDDEN');
    }
    expect(codeOf(await request(sockets.mediator, 'caucus:move', { seatIds: [seats.a], roomId: 'kNoSuchRoom1' }))).toBe('NOT_FOUND');

    // B's location is persisted: a reconnect returns B to the caucus.
    sockets.b.close();
    const bInvite = (await server.sessions.require(sessionId)).seatList().find((s) => s.seatId === seats.b);
    expect(bInvite?.location).toBe(roomId);
    const token = server.tokens.signInvite({ sessionId, seatId: seats.b, role: 'party', displayName: '被申请人乙' }, 600);
    const back = track(await connect(server, token));
    const rejoin = must(await request(back, 'session:join', {}));
    expect(rejoin).toMatchObject({ state: 'admitted', you: { location: roomId } });
  });

  it('tracks the active speaker per room and announces it only in that room', async () => {
    const { sessionId, seats, sockets } = await fourPeople();
    const { roomId } = must(await request(sockets.mediator, 'caucus:open', { name: '甲方' }));
    must(await request(sockets.mediator, 'caucus:move', { seatIds: [seats.a, seats.counsel], roomId }));
    const session = await server.sessions.require(sessionId);
    const room = await session.media.room();
    const heardByB = record(sockets.b, ['speaker:active']);
    const heardByCounsel = next(sockets.counsel, 'speaker:active');
    // What each room's own active-speaker observer reports.
    room.emit('dominantSpeaker', seats.a, roomId);
    expect(await heardByCounsel).toEqual({ seatId: seats.a });
    const heardByMediator = next(sockets.mediator, 'speaker:active');
    room.emit('dominantSpeaker', seats.b, 'joint');
    expect(await heardByMediator).toEqual({ seatId: seats.b });
    await expect.poll(() => heardByB.map((e) => e.payload)).toEqual([{ seatId: seats.b }]);
    expect(session.media.activeSpeakerFor(roomId)).toBe(seats.a);
    expect(session.media.activeSpeakerFor('joint')).toBe(seats.b);
    // Someone the host admits mid-conversation learns who is speaking in their room at once.
    const late = await invite(server, sessionId, 'observer', '旁听者');
    const lateSocket = track(await connect(server, late.token));
    const admitted = next(lateSocket, 'session:admitted');
    must(await request(lateSocket, 'session:join', {}));
    must(await request(sockets.mediator, 'host:admit', { seatId: late.seatId }));
    expect(await admitted).toMatchObject({ activeSpeaker: seats.b });
    // Each room location has its own observer on the router: audio producers are moved between them.
    await publish(sockets.a);
    const aPeer = await serverPeer(server, sessionId, seats.a);
    expect(aPeer.producers.size).toBe(2);
  });
});
