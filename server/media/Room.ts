import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { Logger } from '../log/index.js';
import { LayerFailover } from './LayerFailover.js';
import { MediaPeer, type ProducerAppData } from './MediaPeer.js';
import { mediaCodecs } from './mediaCodecs.js';
import { webRtcTransportOptions } from './transportOptions.js';
import type { WorkerSlot } from './WorkerPool.js';

export type TransportDirection = 'send' | 'recv';

type RoomEvents = {
  dominantSpeaker: [seatId: string];
};

/**
 * The media side of one session: a router on one worker, its peers and
 * everything created on it. Closing the room closes the router, which closes
 * every transport, producer and consumer in cascade.
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly peers = new Map<string, MediaPeer>();
  /** Moves receivers off a simulcast layer its sender stopped, without mediasoup's two-second wait. */
  readonly layerFailover = new LayerFailover();

  private constructor(
    readonly id: string,
    readonly router: types.Router,
    private readonly speakerObserver: types.ActiveSpeakerObserver,
    private readonly slot: WorkerSlot,
    private readonly log: Logger,
  ) {
    super();
    speakerObserver.on('dominantspeaker', ({ producer }) => {
      this.emit('dominantSpeaker', (producer.appData as ProducerAppData).seatId);
    });
  }

  static async create(id: string, slot: WorkerSlot, log: Logger): Promise<Room> {
    const router = await slot.worker.createRouter({ mediaCodecs, appData: { roomId: id } });
    const speakerObserver = await router.createActiveSpeakerObserver({ interval: 300 });
    return new Room(id, router, speakerObserver, slot, log.child({ roomId: id }));
  }

  get closed(): boolean {
    return this.router.closed;
  }

  get workerPid(): number {
    return this.slot.worker.pid;
  }

  peer(seatId: string): MediaPeer {
    let peer = this.peers.get(seatId);
    if (!peer) {
      peer = new MediaPeer(seatId, this);
      this.peers.set(seatId, peer);
    }
    return peer;
  }

  removePeer(seatId: string): void {
    this.peers.get(seatId)?.closeMedia();
    this.peers.delete(seatId);
  }

  /** Audio producers feed the active-speaker observer. */
  watchSpeaker(producer: types.Producer): void {
    if (producer.kind === 'audio') void this.speakerObserver.addProducer({ producerId: producer.id }).catch(() => undefined);
  }

  async createWebRtcTransport(direction: TransportDirection, appData: Record<string, unknown> = {}): Promise<types.WebRtcTransport> {
    const transport = await this.router.createWebRtcTransport(webRtcTransportOptions(this.slot, { ...appData, direction }));
    transport.on('icestatechange', (state) => this.log.debug({ transportId: transport.id, state }, 'ice state'));
    return transport;
  }

  close(): void {
    if (this.router.closed) return;
    this.layerFailover.close();
    this.router.close();
    this.peers.clear();
    this.log.info('room closed');
  }
}
