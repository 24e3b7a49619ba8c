import type { types } from 'mediasoup';
import { CourtLinkError, type MediaKind, type MediaSource, type RtpCapabilities, type RtpParameters } from '../../signaling/index.js';
import { watchDowngrades } from './LayerHold.js';
import { mediaCall } from './mediaErrors.js';
import type { Room, TransportDirection } from './Room.js';

/** What we keep on every producer: who sends it and what it shows. */
export type ProducerAppData = { seatId: string; source: MediaSource };
export type ConsumerAppData = {
  seatId: string;
  producerSeatId: string;
  source: MediaSource;
  /** The receiver's own last word (media:pauseConsumer / resumeConsumer): a server-side release leaves it paused. */
  pausedByReceiver?: boolean;
  /** When mediasoup last moved it down a spatial layer it was asked to keep (ms since the epoch; LayerHold.watchDowngrades). */
  downgradedAt?: number;
};

const maxTransports = 4;
const maxProducers = 4;

/**
 * One participant's media in a room: transports, producers and consumers.
 * Closing a transport closes what was made on it; closing the peer closes them all.
 */
export class MediaPeer {
  readonly transports = new Map<string, types.WebRtcTransport>();
  readonly producers = new Map<string, types.Producer<ProducerAppData>>();
  readonly consumers = new Map<string, types.Consumer<ConsumerAppData>>();
  /** Transports the client has named in a request (connect, produce, …): it knows them (see closeAbandoned). */
  private readonly named = new Set<string>();
  /** Producers this peer consumes or is being offered: exactly one consumer per producer. */
  private readonly consumedProducers = new Set<string>();
  /** Set by media:ready; until then nothing is consumed for this peer. */
  rtpCapabilities: types.RtpCapabilities | undefined;

  constructor(
    readonly seatId: string,
    private readonly room: Room,
  ) {}

  async createTransport(direction: TransportDirection): Promise<types.WebRtcTransport> {
    if (this.transports.size >= maxTransports) this.closeAbandoned();
    if (this.transports.size >= maxTransports) throw new CourtLinkError('CONFLICT', 'Too many open transports.');
    const transport = await mediaCall(() => this.room.createWebRtcTransport(direction, { seatId: this.seatId }));
    this.transports.set(transport.id, transport);
    transport.observer.once('close', () => {
      this.transports.delete(transport.id);
      this.named.delete(transport.id);
    });
    return transport;
  }

  /**
   * At the cap, a send transport its client never named in a request is abandoned: the answer to its creation
   * was lost on a stalled socket (the camera's move to a fresh transport, MediaSession.renewCamera, then tries
   * again), so the client cannot even name it. A client names a send transport to connect it before it
   * produces, so nothing was made on it. A receive transport may wait unnamed for its first consumer: kept.
   */
  private closeAbandoned(): void {
    const abandoned = [...this.transports.values()].find((t) => t.appData.direction === 'send' && !this.named.has(t.id));
    abandoned?.close();
  }

  transport(id: string, direction?: TransportDirection): types.WebRtcTransport {
    const transport = this.transports.get(id);
    if (!transport || (direction && transport.appData.direction !== direction)) throw new CourtLinkError('NOT_FOUND', 'No such transport.');
    this.named.add(id);
    return transport;
  }

  async produce(request: {
    transportId: string;
    kind: MediaKind;
    source: MediaSource;
    rtpParameters: RtpParameters;
  }): Promise<types.Producer<ProducerAppData>> {
    const transport = this.transport(request.transportId, 'send');
    if ((request.source === 'mic') !== (request.kind === 'audio')) {
      throw new CourtLinkError('INVALID_PAYLOAD', 'The source does not match the media kind.');
    }
    if (this.producers.size >= maxProducers) throw new CourtLinkError('CONFLICT', 'Too many producers.');
    // One producer per source: a second camera replaces nothing silently.
    if (this.producerBySource(request.source)) throw new CourtLinkError('CONFLICT', `A ${request.source} is already being sent.`);
    const producer = await mediaCall(() =>
      transport.produce<ProducerAppData>({
        kind: request.kind,
        rtpParameters: request.rtpParameters as types.RtpParameters,
        appData: { seatId: this.seatId, source: request.source },
      }),
    );
    this.producers.set(producer.id, producer);
    producer.observer.once('close', () => this.producers.delete(producer.id));
    return producer;
  }

  producer(id: string): types.Producer<ProducerAppData> {
    const producer = this.producers.get(id);
    if (!producer) throw new CourtLinkError('NOT_FOUND', 'No such producer.');
    return producer;
  }

  producerBySource(source: MediaSource): types.Producer<ProducerAppData> | undefined {
    for (const producer of this.producers.values()) if (producer.appData.source === source) return producer;
    return undefined;
  }

  consumer(id: string): types.Consumer<ConsumerAppData> {
    const consumer = this.consumers.get(id);
    if (!consumer) throw new CourtLinkError('NOT_FOUND', 'No such consumer.');
    return consumer;
  }

  setRtpCapabilities(capabilities: RtpCapabilities): void {
    this.rtpCapabilities = capabilities as types.RtpCapabilities;
  }

  consumes(producerId: string): boolean {
    return this.consumedProducers.has(producerId);
  }

  /**
   * A paused consumer of someone else's producer, or undefined if this peer
   * cannot receive it (yet) or already receives it. Repeated or racing offers
   * of one producer never make a second consumer.
   */
  async consume(producer: types.Producer<ProducerAppData>): Promise<types.Consumer<ConsumerAppData> | undefined> {
    const capabilities = this.rtpCapabilities;
    if (!capabilities || producer.closed || this.consumedProducers.has(producer.id)) return undefined;
    if (!this.room.router.canConsume({ producerId: producer.id, rtpCapabilities: capabilities })) return undefined;
    const transport = [...this.transports.values()].find((t) => t.appData.direction === 'recv' && !t.closed);
    if (!transport) return undefined;
    this.consumedProducers.add(producer.id);
    let consumer: types.Consumer<ConsumerAppData>;
    try {
      consumer = await mediaCall(() =>
        transport.consume<ConsumerAppData>({
          producerId: producer.id,
          rtpCapabilities: capabilities,
          // Paused until the client acks, so the first keyframe lands in a ready decoder.
          paused: true,
          appData: { seatId: this.seatId, producerSeatId: producer.appData.seatId, source: producer.appData.source },
        }),
      );
    } catch (err) {
      this.consumedProducers.delete(producer.id);
      throw err;
    }
    this.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => {
      this.consumers.delete(consumer.id);
      this.consumedProducers.delete(producer.id);
    });
    this.room.layerFailover.watch(consumer, producer);
    watchDowngrades(consumer);
    return consumer;
  }

  /** Closes every transport, and with them every producer and consumer of this peer. */
  closeMedia(): void {
    for (const transport of [...this.transports.values()]) transport.close();
    this.rtpCapabilities = undefined;
  }
}
