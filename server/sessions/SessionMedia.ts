import type { types } from 'mediasoup';
import { CourtLinkError, type NewConsumer, type RequestOf, type ResponseOf, type RtpParameters } from '../../signaling/index.js';
import type { Logger } from '../log/index.js';
import { type ConsumerAppData, type MediaPeer, mediaCall, type ProducerAppData, Room, type WorkerPool } from '../media/index.js';
import type { PeerChannel } from './PeerChannel.js';

type ChannelOf = (seatId: string) => PeerChannel | undefined;

/**
 * A session's media: the room (created on first use, on the least-loaded
 * worker) and every media request of its admitted participants. Consumers are
 * created paused and resumed only after the receiving client acknowledges.
 */
export class SessionMedia {
  private roomPromise: Promise<Room> | undefined;

  constructor(
    private readonly sessionId: string,
    private readonly pool: WorkerPool,
    private readonly channelOf: ChannelOf,
    private readonly onDominantSpeaker: (seatId: string) => void,
    private readonly log: Logger,
  ) {}

  /** Only one room per session, even when several peers ask at once. */
  room(): Promise<Room> {
    if (!this.roomPromise) {
      const creating = Room.create(this.sessionId, this.pool.leastLoaded(), this.log).then((room) => {
        room.on('dominantSpeaker', this.onDominantSpeaker);
        room.router.observer.once('close', () => {
          if (this.roomPromise === creating) this.roomPromise = undefined;
        });
        return room;
      });
      creating.catch(() => {
        if (this.roomPromise === creating) this.roomPromise = undefined;
      });
      this.roomPromise = creating;
    }
    return mediaCall(() => this.roomPromise as Promise<Room>);
  }

  get hasRoom(): boolean {
    return this.roomPromise !== undefined;
  }

  private async peer(seatId: string): Promise<MediaPeer> {
    return (await this.room()).peer(seatId);
  }

  async capabilities(): Promise<ResponseOf<'media:capabilities'>> {
    const room = await this.room();
    return { rtpCapabilities: room.router.rtpCapabilities as ResponseOf<'media:capabilities'>['rtpCapabilities'] };
  }

  async createTransport(seatId: string, { direction }: RequestOf<'media:createTransport'>): Promise<ResponseOf<'media:createTransport'>> {
    const transport = await (await this.peer(seatId)).createTransport(direction);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters as ResponseOf<'media:createTransport'>['dtlsParameters'],
    };
  }

  async connectTransport(seatId: string, { transportId, dtlsParameters }: RequestOf<'media:connectTransport'>): Promise<void> {
    const transport = (await this.peer(seatId)).transport(transportId);
    await mediaCall(() => transport.connect({ dtlsParameters: dtlsParameters as types.DtlsParameters }));
  }

  async restartIce(seatId: string, { transportId }: RequestOf<'media:restartIce'>): Promise<ResponseOf<'media:restartIce'>> {
    const transport = (await this.peer(seatId)).transport(transportId);
    return { iceParameters: await mediaCall(() => transport.restartIce()) };
  }

  async produce(seatId: string, request: RequestOf<'media:produce'>): Promise<ResponseOf<'media:produce'>> {
    const room = await this.room();
    const producer = await room.peer(seatId).produce(request);
    room.watchSpeaker(producer);
    for (const other of room.peers.values()) {
      if (other.seatId !== seatId) void this.offer(other, producer);
    }
    return { producerId: producer.id };
  }

  /** From now on this peer receives every producer, current and future. */
  async ready(seatId: string, { rtpCapabilities }: RequestOf<'media:ready'>): Promise<void> {
    const room = await this.room();
    const peer = room.peer(seatId);
    if (![...peer.transports.values()].some((t) => t.appData.direction === 'recv')) {
      throw new CourtLinkError('CONFLICT', 'Create a receive transport before media:ready.');
    }
    peer.setRtpCapabilities(rtpCapabilities);
    for (const other of room.peers.values()) {
      if (other.seatId === seatId) continue;
      for (const producer of other.producers.values()) void this.offer(peer, producer);
    }
  }

  async producer(seatId: string, producerId: string): Promise<types.Producer<ProducerAppData>> {
    return (await this.peer(seatId)).producer(producerId);
  }

  async consumer(seatId: string, consumerId: string): Promise<types.Consumer<ConsumerAppData>> {
    return (await this.peer(seatId)).consumer(consumerId);
  }

  /** Pauses a participant's mic or camera on the server (host mute); true if something was sending. */
  async pauseSource(seatId: string, source: 'mic' | 'camera'): Promise<boolean> {
    if (!this.roomPromise) return false;
    const producer = (await this.room()).peers.get(seatId)?.producerBySource(source);
    if (!producer || producer.paused) return false;
    await mediaCall(() => producer.pause());
    return true;
  }

  /** The client will rebuild its transports (reload, reconnect); drop the old ones. */
  async resetPeer(seatId: string): Promise<void> {
    if (this.roomPromise) (await this.room()).peers.get(seatId)?.closeMedia();
  }

  async removePeer(seatId: string): Promise<void> {
    if (!this.roomPromise) return;
    const room = await this.room();
    room.removePeer(seatId);
    if (room.peers.size === 0) room.close();
  }

  async close(): Promise<void> {
    if (this.roomPromise) (await this.roomPromise.catch(() => undefined))?.close();
    this.roomPromise = undefined;
  }

  counts(): Promise<number> {
    return this.roomPromise ? this.roomPromise.then((r) => r.peers.size).catch(() => 0) : Promise.resolve(0);
  }

  private async offer(peer: MediaPeer, producer: types.Producer<ProducerAppData>): Promise<void> {
    let consumer: types.Consumer<ConsumerAppData> | undefined;
    try {
      consumer = await peer.consume(producer);
    } catch (err) {
      this.log.warn({ seatId: peer.seatId, producerId: producer.id, err: (err as Error).message }, 'could not create consumer');
      return;
    }
    if (!consumer) return;
    const notify = this.channelOf;
    const seatId = peer.seatId;
    const consumerId = consumer.id;
    consumer.on('producerpause', () => notify(seatId)?.notify('consumer:paused', { consumerId }));
    consumer.on('producerresume', () => notify(seatId)?.notify('consumer:resumed', { consumerId }));
    consumer.on('producerclose', () => notify(seatId)?.notify('consumer:closed', { consumerId }));
    consumer.on('layerschange', (layers) =>
      notify(seatId)?.notify('consumer:layers', {
        consumerId,
        layers: layers ? { spatialLayer: layers.spatialLayer, temporalLayer: layers.temporalLayer } : null,
      }),
    );
    if (consumer.type === 'simulcast') {
      // Ask for the top layer; mediasoup steps down on its own when the receiver's bandwidth estimate falls.
      await consumer.setPreferredLayers({ spatialLayer: 2, temporalLayer: 2 }).catch(() => undefined);
    }
    const offer: NewConsumer = {
      consumerId,
      producerId: producer.id,
      seatId: producer.appData.seatId,
      kind: consumer.kind,
      source: producer.appData.source,
      rtpParameters: consumer.rtpParameters as RtpParameters,
      producerPaused: consumer.producerPaused,
    };
    const channel = notify(seatId);
    const acknowledged = channel ? await channel.offerConsumer(offer) : false;
    if (consumer.closed) return;
    if (!acknowledged) {
      consumer.close();
      return;
    }
    await consumer.resume().catch(() => undefined);
  }
}
