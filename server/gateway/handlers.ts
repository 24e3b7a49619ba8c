import type { types } from 'mediasoup';
import type { InviteClaims, RequestName, RequestOf, ResponseOf } from '../../signaling/index.js';
import { CourtLinkError } from '../../signaling/index.js';
import { NetworkProbe, type WorkerPool } from '../media/index.js';
import type { LiveSession } from '../sessions/index.js';
import type { SocketChannel } from './SocketChannel.js';

/** Per-socket state that outlives one request: the self-test's network probe. */
export type SocketState = { probe: NetworkProbe | undefined };

/** Caps what one seat may hold across all its sockets: a probe allocates a router, so they are rationed. */
export type SeatQuota = { startProbe(seatId: string): void; endProbe(seatId: string): void };

export type RequestContext = {
  session: LiveSession;
  claims: InviteClaims;
  channel: SocketChannel;
  pool: WorkerPool;
  socketState: SocketState;
  quota: SeatQuota;
};

function currentProbe({ socketState }: RequestContext): NetworkProbe {
  const probe = socketState.probe;
  if (!probe || probe.closed) throw new CourtLinkError('CONFLICT', 'Start the network check first.');
  return probe;
}

type Handler<E extends RequestName> = (ctx: RequestContext, payload: RequestOf<E>) => Promise<ResponseOf<E>>;
export type Handlers = { [E in RequestName]: Handler<E> };

const ok = { ok: true } as const;

/** One handler per request. Payloads arrive parsed and the caller's permission already checked. */
export const handlers: Handlers = {
  'session:join': ({ session, claims, channel }, { selfTest }) => session.join(claims, channel, selfTest),
  'session:resume': ({ session, claims, channel }) => session.resume(claims, channel),
  'session:leave': async ({ session, claims }) => {
    await session.leave(claims.seatId);
    return ok;
  },
  'session:raiseHand': async ({ session, claims }, payload) => {
    await session.raiseHand(claims.seatId, payload);
    return ok;
  },

  'host:admit': async ({ session, claims }, { seatId }) => {
    await session.admit(claims.seatId, seatId);
    return ok;
  },
  'host:deny': async ({ session, claims }, { seatId }) => {
    await session.deny(claims.seatId, seatId);
    return ok;
  },
  'host:remove': async ({ session, claims }, { seatId }) => {
    await session.remove(claims.seatId, seatId);
    return ok;
  },
  'host:mute': async ({ session, claims }, { seatId }) => {
    await session.silence(claims.seatId, seatId, 'mic');
    return ok;
  },
  'host:stopVideo': async ({ session, claims }, { seatId }) => {
    await session.silence(claims.seatId, seatId, 'camera');
    return ok;
  },
  'host:requestUnmute': async ({ session, claims }, { seatId }) => {
    await session.requestUnmute(claims.seatId, seatId);
    return ok;
  },
  'host:lock': async ({ session, claims }, payload) => {
    await session.lock(claims.seatId, payload);
    return ok;
  },
  'host:end': async ({ session, claims }) => {
    await session.end({ kind: 'seat', seatId: claims.seatId, role: claims.role }, 'host');
    return ok;
  },
  'host:autoAdmit': async ({ session, claims }, payload) => {
    await session.setAutoAdmit(claims.seatId, payload);
    return ok;
  },
  'host:handover': async ({ session, claims }, { seatId }) => {
    await session.handover(claims.seatId, seatId);
    return ok;
  },

  'caucus:open': async ({ session, claims }, { name }) => ({ roomId: await session.openCaucus(claims.seatId, name) }),
  'caucus:move': async ({ session, claims }, { seatIds, roomId }) => {
    await session.moveToRoom(claims.seatId, seatIds, roomId);
    return ok;
  },
  'caucus:close': async ({ session, claims }, { roomId }) => {
    await session.closeCaucus(claims.seatId, roomId);
    return ok;
  },
  'caucus:returnAll': async ({ session, claims }) => {
    await session.returnAll(claims.seatId);
    return ok;
  },

  'media:capabilities': ({ session }) => session.media.capabilities(),
  'media:createTransport': ({ session, claims }, payload) => session.media.createTransport(claims.seatId, payload),
  'media:connectTransport': async ({ session, claims }, payload) => {
    await session.media.connectTransport(claims.seatId, payload);
    return ok;
  },
  'media:restartIce': ({ session, claims }, payload) => session.media.restartIce(claims.seatId, payload),
  'media:closeTransport': async ({ session, claims }, payload) => {
    await session.media.closeTransport(claims.seatId, payload);
    return ok;
  },
  'media:produce': ({ session, claims }, payload) => session.media.produce(claims.seatId, payload),
  'media:closeProducer': async ({ session, claims }, { producerId }) => {
    (await session.media.producer(claims.seatId, producerId)).close();
    return ok;
  },
  'media:pauseProducer': async ({ session, claims }, { producerId }) => {
    await (await session.media.producer(claims.seatId, producerId)).pause();
    return ok;
  },
  'media:resumeProducer': async ({ session, claims }, { producerId }) => {
    await (await session.media.producer(claims.seatId, producerId)).resume();
    return ok;
  },
  'media:ready': async ({ session, claims }, payload) => {
    await session.media.ready(claims.seatId, payload);
    return ok;
  },
  'media:consume': async ({ session, claims }, { producerId }) => {
    await session.media.consume(claims.seatId, producerId);
    return ok;
  },
  'media:pauseConsumer': async ({ session, claims }, { consumerId }) => {
    const consumer = await session.media.consumer(claims.seatId, consumerId);
    consumer.appData.pausedByReceiver = true;
    await consumer.pause();
    return ok;
  },
  'media:resumeConsumer': async ({ session, claims }, { consumerId }) => {
    const consumer = await session.media.consumer(claims.seatId, consumerId);
    consumer.appData.pausedByReceiver = false;
    await consumer.resume();
    return ok;
  },
  'media:setPreferredLayers': async ({ session, claims }, { consumerId, spatialLayer, temporalLayer }) => {
    const consumer = await session.media.consumer(claims.seatId, consumerId);
    if (consumer.type !== 'simulcast' && consumer.type !== 'svc') throw new CourtLinkError('CONFLICT', 'This stream has no layers.');
    await consumer.setPreferredLayers(temporalLayer === undefined ? { spatialLayer } : { spatialLayer, temporalLayer });
    return ok;
  },

  'net:ping': async () => ({ serverTime: Date.now() }),
  'probe:start': async ({ pool, socketState, quota, claims }) => {
    socketState.probe?.close();
    quota.startProbe(claims.seatId);
    let probe: NetworkProbe;
    try {
      probe = await NetworkProbe.start(pool.leastLoaded());
    } catch (err) {
      quota.endProbe(claims.seatId);
      throw err;
    }
    probe.router.observer.once('close', () => quota.endProbe(claims.seatId));
    socketState.probe = probe;
    const { transport } = probe;
    return {
      rtpCapabilities: probe.router.rtpCapabilities as ResponseOf<'probe:start'>['rtpCapabilities'],
      transport: {
        id: transport.id,
        iceParameters: transport.iceParameters,
        iceCandidates: transport.iceCandidates,
        dtlsParameters: transport.dtlsParameters as ResponseOf<'probe:start'>['transport']['dtlsParameters'],
      },
    };
  },
  'probe:connect': async (ctx, { dtlsParameters }) => {
    await currentProbe(ctx).connect(dtlsParameters as types.DtlsParameters);
    return ok;
  },
  'probe:produce': async (ctx, { kind, rtpParameters }) => ({ producerId: await currentProbe(ctx).produce(kind, rtpParameters) }),
  'probe:result': async (ctx) => {
    const probe = currentProbe(ctx);
    const protocol = probe.protocol();
    // Answered at once: the client polls, so no request is held open while ICE works.
    if (protocol) {
      probe.close();
      ctx.socketState.probe = undefined;
    }
    return { protocol };
  },

  'chat:send': async ({ session, claims }, payload) => {
    await session.chat(claims.seatId, payload);
    return ok;
  },

  // ---- agreements and judicial confirmation (docs) ----
  'agreement:get': ({ session, claims }) => session.agreementView(claims.seatId),
  'agreement:edit': async ({ session, claims }, payload) => ({ version: await session.editAgreement(claims.seatId, payload) }),
  'agreement:confirmClause': async ({ session, claims }, payload) => {
    await session.confirmClause(claims.seatId, payload);
    return ok;
  },
  'agreement:sign': async ({ session, claims, channel }, payload) => {
    await session.signAgreement(claims.seatId, payload, channel.address);
    return ok;
  },
  'agreement:finalize': ({ session, claims }) => session.finalizeAgreement(claims.seatId),
  'court:call': async ({ session, claims }) => {
    await session.callCourt(claims.seatId);
    return ok;
  },
  'court:decide': ({ session, claims }, payload) => session.decide(claims.seatId, payload),
  // ---- recording (issue 9)
  'record:start': async ({ session, claims }) => ({ recordingId: await session.startRecording(claims.seatId) }),
  'record:stop': ({ session, claims }) => session.stopRecording(claims.seatId),
  'caucus:setRecording': async ({ session, claims }, payload) => {
    await session.setCaucusRecording(claims.seatId, payload);
    return ok;
  },
  // ---- supervised visits (issue 12) ----
  'visit:allowChat': async ({ session, claims }, payload) => {
    await session.allowVisitChat(claims.seatId, payload.allowed);
    return ok;
  },
};
