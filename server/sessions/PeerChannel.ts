import type { NewConsumer, NotificationName, NotificationOf } from '../../signaling/index.js';

/**
 * How a session reaches one connected participant. The gateway implements it
 * over a socket.io socket; the session layer never sees socket.io.
 */
export interface PeerChannel {
  readonly id: string;
  notify<E extends NotificationName>(event: E, payload: NotificationOf<E>): void;
  /** Resolves true once the client has acknowledged the paused consumer. */
  offerConsumer(offer: NewConsumer): Promise<boolean>;
  close(): void;
}
