import type { Socket } from 'socket.io';
import type { ClientToServerEvents, NewConsumer, NotificationName, NotificationOf, ServerToClientEvents } from '../../signaling/index.js';
import type { PeerChannel } from '../sessions/index.js';

export type CourtLinkSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const consumerAckTimeoutMs = 10_000;

export class SocketChannel implements PeerChannel {
  constructor(private readonly socket: CourtLinkSocket) {}

  get id(): string {
    return this.socket.id;
  }

  /** The peer's address as the server sees it (the signature attestation records it). */
  get address(): string {
    return this.socket.handshake.address;
  }

  notify<E extends NotificationName>(event: E, payload: NotificationOf<E>): void {
    // The mapped event type cannot be narrowed per call; the signature above keeps callers typed.
    (this.socket.emit as (event: string, payload: unknown) => boolean)(event, payload);
  }

  async offerConsumer(offer: NewConsumer): Promise<boolean> {
    if (!this.socket.connected) return false;
    try {
      const answer: unknown = await this.socket.timeout(consumerAckTimeoutMs).emitWithAck('consumer:new', offer);
      return typeof answer === 'object' && answer !== null && (answer as { ok?: unknown }).ok === true;
    } catch {
      return false;
    }
  }

  /** Deferred a tick so the ack of the request that caused it (leave, end) is sent first. */
  close(): void {
    setImmediate(() => this.socket.disconnect(true));
  }
}
