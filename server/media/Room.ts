import type { types } from 'mediasoup';
import type { Logger } from '../log/index.js';
import { mediaCodecs } from './mediaCodecs.js';
import type { WorkerSlot } from './WorkerPool.js';

export type TransportDirection = 'send' | 'recv';

/**
 * The media side of one session (or one caucus of it): a router on one worker
 * and everything created on it. Closing the room closes the router, which
 * closes every transport, producer and consumer in cascade.
 */
export class Room {
  private constructor(
    readonly id: string,
    readonly router: types.Router,
    private readonly slot: WorkerSlot,
    private readonly log: Logger,
  ) {}

  static async create(id: string, slot: WorkerSlot, log: Logger): Promise<Room> {
    const router = await slot.worker.createRouter({ mediaCodecs, appData: { roomId: id } });
    return new Room(id, router, slot, log.child({ roomId: id }));
  }

  get closed(): boolean {
    return this.router.closed;
  }

  get workerPid(): number {
    return this.slot.worker.pid;
  }

  /** UDP first; TCP is there for village networks that block UDP. */
  async createWebRtcTransport(direction: TransportDirection, appData: Record<string, unknown> = {}): Promise<types.WebRtcTransport> {
    const transport = await this.router.createWebRtcTransport({
      webRtcServer: this.slot.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 600_000,
      appData: { ...appData, direction },
    });
    transport.on('icestatechange', (state) => this.log.debug({ transportId: transport.id, state }, 'ice state'));
    return transport;
  }

  close(): void {
    if (this.router.closed) return;
    this.router.close();
    this.log.info('room closed');
  }
}
