import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { cameraLayerKbit, opusKbit, packetOverhead } from '../../signaling/cameraLayers.js';
import type { Logger } from '../log/index.js';
import { DownlinkEstimate } from './DownlinkEstimate.js';
import { LayerFailover } from './LayerFailover.js';
import { forwardedBelowAsked, releaseHeldDown } from './LayerHold.js';
import { MediaPeer, type ProducerAppData } from './MediaPeer.js';
import { mediaCodecs } from './mediaCodecs.js';
import { webRtcTransportOptions } from './transportOptions.js';
import type { WorkerSlot } from './WorkerPool.js';

export type TransportDirection = 'send' | 'recv';

/** The best camera layer a sender offers (kbit/s): what a receiver's downlink is probed up to after a thin spell. */
const topLayerKbit = cameraLayerKbit.at(-1) ?? 0;

type RoomEvents = {
  /** The loudest speaker of one room (joint or a caucus): the speaker is tracked per room. */
  dominantSpeaker: [seatId: string, location: string];
  /** The SFU's bandwidth estimate towards one seat (its receive transport), once a second. */
  downlinkEstimate: [seatId: string, availableKbit: number];
};

/**
 * The media side of one session: a router on one worker, its peers and
 * everything created on it. Closing the room closes the router, which closes
 * every transport, producer and consumer in cascade.
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly peers = new Map<string, MediaPeer>();
  /** One active-speaker observer per room location, created on first use. */
  private readonly speakerObservers = new Map<string, Promise<types.ActiveSpeakerObserver>>();
  /** Which observer each audio producer feeds. */
  private readonly speakerLocation = new Map<string, string>();
  /** Moves receivers off a simulcast layer its sender stopped, without mediasoup's two-second wait. */
  readonly layerFailover = new LayerFailover();
  private readonly downlink = new DownlinkEstimate((seatId, kbit) => this.emit('downlinkEstimate', seatId, kbit));

  private constructor(
    readonly id: string,
    readonly router: types.Router,
    private readonly slot: WorkerSlot,
    private readonly log: Logger,
  ) {
    super();
  }

  static async create(id: string, slot: WorkerSlot, log: Logger): Promise<Room> {
    const router = await slot.worker.createRouter({ mediaCodecs, appData: { roomId: id } });
    return new Room(id, router, slot, log.child({ roomId: id }));
  }

  private speakerObserver(location: string): Promise<types.ActiveSpeakerObserver> {
    let observer = this.speakerObservers.get(location);
    if (!observer) {
      observer = this.router.createActiveSpeakerObserver({ interval: 300 }).then((created) => {
        created.on('dominantspeaker', ({ producer }) => {
          this.emit('dominantSpeaker', (producer.appData as ProducerAppData).seatId, location);
        });
        return created;
      });
      this.speakerObservers.set(location, observer);
    }
    return observer;
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

  /** Audio producers feed the active-speaker observer of the room their sender is in. */
  async watchSpeaker(producer: types.Producer, location: string): Promise<void> {
    if (producer.kind !== 'audio' || producer.closed) return;
    const previous = this.speakerLocation.get(producer.id);
    if (previous === location) return;
    this.speakerLocation.set(producer.id, location);
    producer.observer.once('close', () => this.speakerLocation.delete(producer.id));
    if (previous) await (await this.speakerObserver(previous)).removeProducer({ producerId: producer.id }).catch(() => undefined);
    await (await this.speakerObserver(location)).addProducer({ producerId: producer.id }).catch(() => undefined);
  }

  async createWebRtcTransport(direction: TransportDirection, appData: Record<string, unknown> = {}): Promise<types.WebRtcTransport> {
    const transport = await this.router.createWebRtcTransport(webRtcTransportOptions(this.slot, { ...appData, direction }));
    transport.on('icestatechange', (state) => this.log.debug({ transportId: transport.id, state }, 'ice state'));
    const seatId = appData.seatId;
    if (direction === 'recv' && typeof seatId === 'string')
      this.downlink.watch(seatId, transport, {
        wantedKbit: () => this.wantedKbit(seatId),
        heldDown: () => this.heldDown(seatId),
        release: () => this.releaseHeld(seatId),
        keyFrames: () => this.keyFrames(seatId),
      });
    return transport;
  }

  /**
   * What the seat's downlink must carry for the best each sender offers: every video it receives (and its
   * sender sends) at the top camera layer, and the sound; 0 when no video is received (nothing worth probing for).
   * Not the layers the seat asks for now: held back at the lowest one, it will ask for the top once the link clears.
   */
  private wantedKbit(seatId: string): number {
    let videos = 0;
    let sounds = 0;
    for (const consumer of this.peers.get(seatId)?.consumers.values() ?? []) {
      if (consumer.kind === 'audio') sounds++;
      else if (!consumer.paused && !consumer.producerPaused) videos++;
    }
    return videos === 0 ? 0 : Math.round((videos * topLayerKbit + sounds * opusKbit.normal) * packetOverhead);
  }

  private heldDown(seatId: string): boolean {
    return [...(this.peers.get(seatId)?.consumers.values() ?? [])].some(forwardedBelowAsked);
  }

  private async releaseHeld(seatId: string): Promise<void> {
    const released = await releaseHeldDown(this.peers.get(seatId)?.consumers.values() ?? []);
    if (released.length > 0) this.log.info({ seatId, consumerIds: released }, 'videos released from their layer hold');
  }

  /** A key frame for each video the seat receives: after its link's collapse its decoders may wait for one. */
  private async keyFrames(seatId: string): Promise<void> {
    for (const consumer of this.peers.get(seatId)?.consumers.values() ?? [])
      if (consumer.kind === 'video' && !consumer.closed && !consumer.paused && !consumer.producerPaused) await consumer.requestKeyFrame();
  }

  close(): void {
    if (this.router.closed) return;
    this.layerFailover.close();
    this.downlink.close();
    this.router.close();
    this.peers.clear();
    this.log.info('room closed');
  }
}
