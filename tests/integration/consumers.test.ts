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

  it('offers paused consumers, resumes them after the ack, and honours layer and pause requests', async () => {
    const sessionId = await createSession(server);
    const hostInvite = await invite(server, sessionId, 'mediator', '调解员');
    const host = track(await joinAdmitted(server, undefined, hostInvite));
    const partyInvite = await invite(server, sessionId, 'party', '当事人');
    const party = track(await joinAdmitted(server, host, partyInvite));

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
    expect(await request(host, 'media:resumeConsumer', { consumerId: video.consumerId })).toEqual({ ok: true });
    expect(hostPeer.consumer(video.consumerId).paused).toBe(false);

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
