import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewConsumer } from '../../signaling/index.js';
import { opusParameters, vp8SimulcastParameters } from '../support/rtpParameters.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { type ClientSocket, codeOf, createSession, invite, joinAdmitted, must, next, request, useSockets } from '../support/signaling.js';

/**
 * The consumer lifecycle over real sockets and a real worker: producers are
 * made from browser-shaped parameters, so no browser is needed to see how the
 * server offers, pauses, resumes and layers what others receive.
 */
describe('consumers', () => {
  let server: TestServer;
  const track = useSockets();
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  async function receiveOffers(socket: ClientSocket): Promise<{ offers: NewConsumer[]; release: () => void }> {
    // Hold every ack until the test says so, to observe the paused state in between.
    const offers: NewConsumer[] = [];
    const held: (() => void)[] = [];
    socket.off('consumer:new');
    socket.on('consumer:new', (offer, ack) => {
      offers.push(offer);
      held.push(() => ack({ ok: true }));
    });
    return {
      offers,
      release: () => {
        for (const ack of held.splice(0)) ack();
      },
    };
  }

  /** A session with its mediator and one party, both admitted. */
  async function hostAndParty() {
    const sessionId = await createSession(server);
    const hostInvite = await invite(server, sessionId, 'mediator', '调解员');
    const host = track(await joinAdmitted(server, undefined, hostInvite));
    const partyInvite = await invite(server, sessionId, 'party', '当事人');
    const party = track(await joinAdmitted(server, host, partyInvite));
    return { sessionId, hostInvite, host, partyInvite, party };
  }

  it('offers paused consumers, resumes them after the ack, and honours layer and pause requests', async () => {
    const { sessionId, hostInvite, host, partyInvite, party } = await hostAndParty();

    const send = must(await request(party, 'media:createTransport', { direction: 'send' }));
    const mic = must(
      await request(party, 'media:produce', {
        transportId: send.id,
        kind: 'audio',
        source: 'mic',
        rtpParameters: opusParameters(5000),
      }),
    );
    const camera = must(
      await request(party, 'media:produce', {
        transportId: send.id,
        kind: 'video',
        source: 'camera',
        rtpParameters: vp8SimulcastParameters(6000),
      }),
    );

    const { offers, release } = await receiveOffers(host);
    must(await request(host, 'media:createTransport', { direction: 'recv' }));
    const caps = must(await request(host, 'media:capabilities', {}));
    expect(await request(host, 'media:ready', { rtpCapabilities: caps.rtpCapabilities })).toEqual({ ok: true });

    await expect.poll(() => offers.length).toBe(2);
    expect(offers.map((o) => `${o.kind}/${o.source}/${o.seatId}`).sort()).toEqual([
      `audio/mic/${partyInvite.seatId}`,
      `video/camera/${partyInvite.seatId}`,
    ]);
    const room = await (await server.sessions.require(sessionId)).media.room();
    const hostPeer = room.peers.get(hostInvite.seatId);
    if (!hostPeer) throw new Error('host has no media peer');
    const audio = offers.find((o) => o.kind === 'audio') as NewConsumer;
    const video = offers.find((o) => o.kind === 'video') as NewConsumer;

    // Created paused; resumed only once the client acknowledged.
    expect(hostPeer.consumer(video.consumerId).paused).toBe(true);
    expect(hostPeer.consumer(audio.consumerId).paused).toBe(true);
    release();
    await expect.poll(() => hostPeer.consumer(video.consumerId).paused).toBe(false);
    await expect.poll(() => hostPeer.consumer(audio.consumerId).paused).toBe(false);

    // Simulcast: the receiver's layer preference reaches the SFU.
    expect(hostPeer.consumer(video.consumerId).type).toBe('simulcast');
    expect(hostPeer.consumer(video.consumerId).preferredLayers).toEqual({ spatialLayer: 2, temporalLayer: 2 });
    expect(await request(host, 'media:setPreferredLayers', { consumerId: video.consumerId, spatialLayer: 0, temporalLayer: 1 })).toEqual({
      ok: true,
    });
    expect(hostPeer.consumer(video.consumerId).preferredLayers).toEqual({ spatialLayer: 0, temporalLayer: 1 });
    expect(codeOf(await request(host, 'media:setPreferredLayers', { consumerId: audio.consumerId, spatialLayer: 0 }))).toBe('CONFLICT');

    // Audio-only mode pauses a received video and resumes it.
    expect(await request(host, 'media:pauseConsumer', { consumerId: video.consumerId })).toEqual({ ok: true });
    expect(hostPeer.consumer(video.consumerId).paused).toBe(true);
    // The receiver's own word is kept, so a release from mediasoup's layer hold (DownlinkEstimate) leaves it paused.
    expect(hostPeer.consumer(video.consumerId).appData.pausedByReceiver).toBe(true);
    expect(await request(host, 'media:resumeConsumer', { consumerId: video.consumerId })).toEqual({ ok: true });
    expect(hostPeer.consumer(video.consumerId).paused).toBe(false);
    expect(hostPeer.consumer(video.consumerId).appData.pausedByReceiver).toBe(false);

    // Host mute pauses the party's mic on the server: the party is told, receivers see it paused.
    const muted = next(party, 'you:muted');
    const paused = next(host, 'consumer:paused', (p) => p.consumerId === audio.consumerId);
    expect(await request(host, 'host:mute', { seatId: partyInvite.seatId })).toEqual({ ok: true });
    expect(await muted).toEqual({ source: 'mic' });
    await paused;
    const resumed = next(host, 'consumer:resumed', (p) => p.consumerId === audio.consumerId);
    expect(await request(party, 'media:resumeProducer', { producerId: mic.producerId })).toEqual({ ok: true });
    await resumed;

    // A producer that closes takes its consumers with it.
    const closed = next(host, 'consumer:closed', (p) => p.consumerId === video.consumerId);
    expect(await request(party, 'media:closeProducer', { producerId: camera.producerId })).toEqual({ ok: true });
    await closed;
    expect(() => hostPeer.consumer(video.consumerId)).toThrow();
  });

  it('moves a camera to a fresh send transport and closes the old one with what was made on it (MediaSession.renewCamera)', async () => {
    const { sessionId, host, partyInvite, party } = await hostAndParty();
    const send = must(await request(party, 'media:createTransport', { direction: 'send' }));
    const produce = (transportId: string, ssrc: number) =>
      request(party, 'media:produce', { transportId, kind: 'video', source: 'camera', rtpParameters: vp8SimulcastParameters(ssrc) });
    const mic = must(
      await request(party, 'media:produce', { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: opusParameters(8000) }),
    );
    const first = must(await produce(send.id, 8100));
    const { offers, release } = await receiveOffers(host);
    must(await request(host, 'media:createTransport', { direction: 'recv' }));
    const caps = must(await request(host, 'media:capabilities', {}));
    must(await request(host, 'media:ready', { rtpCapabilities: caps.rtpCapabilities }));
    await expect.poll(() => offers.length).toBe(2);
    release();
    const room = await (await server.sessions.require(sessionId)).media.room();
    const partyPeer = room.peers.get(partyInvite.seatId);
    if (!partyPeer) throw new Error('party has no media peer');

    // The renewal: a second send transport, the camera closed on the first and made again on the second.
    const fresh = must(await request(party, 'media:createTransport', { direction: 'send' }));
    const firstVideo = offers.find((o) => o.kind === 'video') as NewConsumer;
    const closed = next(host, 'consumer:closed', (p) => p.consumerId === firstVideo.consumerId);
    must(await request(party, 'media:closeProducer', { producerId: first.producerId }));
    await closed;
    const second = must(await produce(fresh.id, 8200));
    await expect
      .poll(() => offers.filter((o) => o.kind === 'video').map((o) => o.producerId))
      .toEqual([first.producerId, second.producerId]);
    release();
    // The sound never moved.
    expect(partyPeer.producerBySource('mic')?.id).toBe(mic.producerId);

    // A later renewal closes the camera's previous transport, and the camera made on it with it.
    const third = must(await request(party, 'media:createTransport', { direction: 'send' }));
    const secondVideo = offers.find((o) => o.producerId === second.producerId) as NewConsumer;
    const closedAgain = next(host, 'consumer:closed', (p) => p.consumerId === secondVideo.consumerId);
    expect(await request(party, 'media:closeTransport', { transportId: fresh.id })).toEqual({ ok: true });
    await closedAgain;
    expect(partyPeer.transports.has(fresh.id)).toBe(false);
    expect(partyPeer.producerBySource('camera')).toBeUndefined();
    must(await produce(third.id, 8300));
    // A peer has four transports at most: renewals that close what they leave behind never run out.
    expect([...partyPeer.transports.keys()].sort()).toEqual([send.id, third.id].sort());
    expect(partyPeer.producerBySource('mic')?.id).toBe(mic.producerId);

    // Only one's own transports, and only well-formed ids; nothing changes on a refusal.
    expect(codeOf(await request(host, 'media:closeTransport', { transportId: send.id }))).toBe('NOT_FOUND');
    expect(codeOf(await request(party, 'media:closeTransport', { transportId: fresh.id }))).toBe('NOT_FOUND');
    expect(codeOf(await request(party, 'media:closeTransport', { transportId: '' } as never))).toBe('INVALID_PAYLOAD');
    expect(codeOf(await request(party, 'media:closeTransport', { transportId: send.id, extra: 1 } as never))).toBe('INVALID_PAYLOAD');
    expect([...partyPeer.transports.keys()].sort()).toEqual([send.id, third.id].sort());
  });

  it('makes room at the transport cap by closing a send transport its client never named, and nothing else', async () => {
    const { sessionId, host, partyInvite, party } = await hostAndParty();
    const create = (direction: 'send' | 'recv') => request(party, 'media:createTransport', { direction });
    const used = must(await create('send'));
    const fingerprint = { algorithm: 'sha-256' as const, value: Array.from({ length: 32 }, () => 'AB').join(':') };
    must(
      await request(party, 'media:connectTransport', {
        transportId: used.id,
        dtlsParameters: { role: 'client', fingerprints: [fingerprint] },
      }),
    );
    const recv = must(await create('recv'));
    // Two whose answers the client never got (a stalled socket): it never names them in a request.
    const lostA = must(await create('send'));
    const lostB = must(await create('send'));
    const room = await (await server.sessions.require(sessionId)).media.room();
    const peer = room.peers.get(partyInvite.seatId);
    if (!peer) throw new Error('party has no media peer');
    const ids = () => [...peer.transports.keys()].sort();
    expect(ids()).toEqual([used.id, recv.id, lostA.id, lostB.id].sort());
    const fifth = must(await create('send'));
    expect(ids()).toEqual([used.id, recv.id, lostB.id, fifth.id].sort());
    // A receive transport waits for its first consumer unconnected: never taken for abandoned.
    const listenerInvite = await invite(server, sessionId, 'party', '旁听');
    const listener = track(await joinAdmitted(server, host, listenerInvite));
    const recvIds: string[] = [];
    for (let i = 0; i < 4; i++) recvIds.push(must(await request(listener, 'media:createTransport', { direction: 'recv' })).id);
    expect(codeOf(await request(listener, 'media:createTransport', { direction: 'send' }))).toBe('CONFLICT');
    expect([...(room.peers.get(listenerInvite.seatId)?.transports.keys() ?? [])].sort()).toEqual(recvIds.sort());
  });

  it('refuses media requests that do not fit: wrong kind for a source, a second camera, someone else’s ids', async () => {
    const sessionId = await createSession(server);
    const host = track(await joinAdmitted(server, undefined, await invite(server, sessionId, 'mediator', '调解员')));
    const party = track(await joinAdmitted(server, host, await invite(server, sessionId, 'party', '当事人')));
    const send = must(await request(party, 'media:createTransport', { direction: 'send' }));

    const wrongKind = await request(party, 'media:produce', {
      transportId: send.id,
      kind: 'video',
      source: 'mic',
      rtpParameters: vp8SimulcastParameters(7000),
    });
    expect(codeOf(wrongKind)).toBe('INVALID_PAYLOAD');
    expect(
      await request(party, 'media:produce', {
        transportId: send.id,
        kind: 'video',
        source: 'camera',
        rtpParameters: vp8SimulcastParameters(7100),
      }),
    ).toHaveProperty('producerId');
    const second = await request(party, 'media:produce', {
      transportId: send.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: vp8SimulcastParameters(7200),
    });
    expect(codeOf(second)).toBe('CONFLICT');
    // The host cannot produce on, or restart, the party's transport.
    expect(codeOf(await request(host, 'media:restartIce', { transportId: send.id }))).toBe('NOT_FOUND');
    const onOthers = await request(host, 'media:produce', {
      transportId: send.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: opusParameters(7300),
    });
    expect(codeOf(onOthers)).toBe('NOT_FOUND');
    // A receive transport cannot send.
    const recv = must(await request(party, 'media:createTransport', { direction: 'recv' }));
    expect(
      codeOf(
        await request(party, 'media:produce', { transportId: recv.id, kind: 'audio', source: 'mic', rtpParameters: opusParameters(7400) }),
      ),
    ).toBe('NOT_FOUND');
  });
});
