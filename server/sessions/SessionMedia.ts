import type { types } from 'mediasoup';
import {
  CourtLinkError,
  type Location,
  mayReceive,
  type NewConsumer,
  type RequestOf,
  type ResponseOf,
  type RtpParameters,
} from '../../signaling/index.js';
import type { Logger } from '../log/index.js';
import { type ConsumerAppData, type MediaPeer, mediaCall, type ProducerAppData, Room, type WorkerPool } from '../media/index.js';
import type { PeerChannel } from './PeerChannel.js';

export type SessionMediaHooks = {
  channelOf: (seatId: string) => PeerChannel | undefined;
  /** Where a seat is (joint room or caucus): the audience rule decides from it. */
  locationOf: (seatId: string) => Location;
  /** The loudest speaker of one room changed. */
  onSpeaker: (seatId: string, location: Location) => void;
  /** A producer appeared (the recorder decides whether it takes it). */
  onProducer?: () => void;
};

/**
 * A session's media: the room (created on first use, on the least-loaded
 * worker) and every media request of its admitted participants. Consumers are
 * created paused and resumed only after the receiving client acknowledges.
 * Who is offered whose media follows the one audience rule, mayReceive().
 */
export class SessionMedia {
  private roomPromise: Promise<Room> | undefined;
  private readonly speakers = new Map<Location, string>();

  constructor(
    private readonly sessionId: string,
    private readonly pool: WorkerPool,
    private readonly hooks: SessionMediaHooks,
    private readonly log: Logger,
  ) {}

  /** Only one room per session, even when several peers ask at once. */
  room(): Promise<Room> {
    if (!this.roomPromise) {
      const creating = Room.create(this.sessionId, this.pool.leastLoaded(), this.log).then((room) => {
        room.on('dominantSpeaker', (seatId, location) => {
          this.speakers.set(location, seatId);
          this.hooks.onSpeaker(seatId, location);
        });
        // The village's downlink guard resumes video on the SFU's own estimate instead of blind probes.
        room.on('downlinkEstimate', (seatId, availableKbit) => this.hooks.channelOf(seatId)?.notify('media:downlink', { availableKbit }));
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

  /** Only the seat's own transports: another seat's id is NOT_FOUND, like one that never existed. */
  async closeTransport(seatId: string, { transportId }: RequestOf<'media:closeTransport'>): Promise<void> {
    (await this.peer(seatId)).transport(transportId).close();
  }

  /** The audience rule, for one receiving seat and one producer. */
  private allowed(subscriberSeatId: string, producer: types.Producer<ProducerAppData>): boolean {
    const { locationOf } = this.hooks;
    const producerSeat = producer.appData.seatId;
    return mayReceive(
      { kind: 'seat', seatId: subscriberSeatId, location: locationOf(subscriberSeatId) },
      { seatId: producerSeat, location: locationOf(producerSeat) },
    );
  }

  activeSpeakerFor(location: Location): string | undefined {
    const seatId = this.speakers.get(location);
    return seatId && this.hooks.locationOf(seatId) === location ? seatId : undefined;
  }

  async produce(seatId: string, request: RequestOf<'media:produce'>): Promise<ResponseOf<'media:produce'>> {
    const room = await this.room();
    const producer = await room.peer(seatId).produce(request);
    await room.watchSpeaker(producer, this.hooks.locationOf(seatId));
    this.hooks.onProducer?.();
    for (const other of room.peers.values()) {
      if (other.seatId !== seatId && this.allowed(other.seatId, producer)) void this.offer(other, producer);
    }
    return { producerId: producer.id };
  }

  /** A client asks again for one producer; another room's producers are refused. */
  async consume(seatId: string, producerId: string): Promise<void> {
    const room = await this.room();
    const producer = [...room.peers.values()].map((p) => p.producers.get(producerId)).find((p) => p !== undefined);
    if (!producer) throw new CourtLinkError('NOT_FOUND', 'No such producer.');
    if (producer.appData.seatId === seatId || !this.allowed(seatId, producer))
      throw new CourtLinkError('FORBIDDEN', 'That stream is not in your room.');
    const peer = room.peer(seatId);
    if (!peer.rtpCapabilities) throw new CourtLinkError('CONFLICT', 'Send media:ready first.');
    if (peer.consumes(producerId)) return;
    await this.offer(peer, producer);
  }

  /**
   * Seats moved between rooms: close every consumer the audience rule no longer
   * allows, at once, and offer the ones it now does. Speakers follow too.
   */
  async relocate(seatIds: readonly string[]): Promise<void> {
    if (!this.roomPromise) return;
    const room = await this.room();
    const moved = new Set(seatIds);
    for (const peer of room.peers.values()) {
      for (const consumer of [...peer.consumers.values()]) {
        const involved = moved.has(peer.seatId) || moved.has(consumer.appData.producerSeatId);
        const producer = room.peers.get(consumer.appData.producerSeatId)?.producers.get(consumer.producerId);
        if (involved && (!producer || !this.allowed(peer.seatId, producer))) {
          consumer.close();
          this.hooks.channelOf(peer.seatId)?.notify('consumer:closed', { consumerId: consumer.id });
        }
      }
    }
    for (const owner of room.peers.values()) {
      for (const producer of owner.producers.values()) {
        if (moved.has(owner.seatId)) await room.watchSpeaker(producer, this.hooks.locationOf(owner.seatId));
        for (const peer of room.peers.values()) {
          if (peer === owner || !(moved.has(peer.seatId) || moved.has(owner.seatId))) continue;
          // Not awaited: an offer waits for the client's ack, and the move must not wait for every client.
          if (this.allowed(peer.seatId, producer) && !peer.consumes(producer.id)) void this.offer(peer, producer);
        }
      }
    }
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
      for (const producer of other.producers.values()) if (this.allowed(seatId, producer)) void this.offer(peer, producer);
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

  /** True while the seat's client still has a transport up on the server (what session:resume keeps). */
  async hasLiveMedia(seatId: string): Promise<boolean> {
    if (!this.roomPromise) return false;
    const peer = (await this.room()).peers.get(seatId);
    return peer !== undefined && [...peer.transports.values()].some((t) => !t.closed);
  }

  /**
   * The seat's client resumed on a fresh socket: offers what it missed while no socket reached it (an offer
   * without a channel is dropped), and returns the consumers it has, so it can drop ones whose close it missed.
   */
  async resumed(seatId: string): Promise<string[]> {
    const room = await this.room();
    const peer = room.peer(seatId);
    if (peer.rtpCapabilities) {
      for (const other of room.peers.values()) {
        if (other === peer) continue;
        for (const producer of other.producers.values())
          if (this.allowed(seatId, producer) && !peer.consumes(producer.id)) void this.offer(peer, producer);
      }
    }
    return [...peer.consumers.keys()];
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
    const notify = this.hooks.channelOf;
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
      // The client resumed on a fresh socket while this offer waited on the stalled one: offer it again there
      // (and tell it to drop the first, which it may have taken without its answer getting through).
      const now = notify(seatId);
      if (now && now !== channel && !producer.closed && this.allowed(seatId, producer)) {
        now.notify('consumer:closed', { consumerId });
        void this.offer(peer, producer);
      }
      return;
    }
    await consumer.resume().catch(() => undefined);
  }
}
