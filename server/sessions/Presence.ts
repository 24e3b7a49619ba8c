import type { NotificationName, NotificationOf } from '../../signaling/index.js';
import type { PeerChannel } from './PeerChannel.js';
import type { SeatRecord, SessionStore } from './SessionStore.js';

/** Who is connected to this node right now, and through which channel. Not persisted, except lastSeenAt. */
export class Presence {
  private readonly channels = new Map<string, PeerChannel>();
  private readonly hands = new Set<string>();
  /** Seats whose connection dropped on this node and that may still come back within the grace period. */
  private readonly dropped = new Set<string>();

  constructor(
    private readonly sessionId: string,
    private readonly seats: Map<string, SeatRecord>,
    private readonly store: SessionStore,
  ) {}

  channel(seatId: string): PeerChannel | undefined {
    return this.channels.get(seatId);
  }

  connected(seatId: string): boolean {
    return this.channels.has(seatId);
  }

  get count(): number {
    return this.channels.size;
  }

  /** Puts this channel on the seat; returns the channel it replaced, if any. */
  attach(seatId: string, channel: PeerChannel): PeerChannel | undefined {
    const previous = this.channels.get(seatId);
    this.channels.set(seatId, channel);
    this.dropped.delete(seatId);
    return previous && previous.id !== channel.id ? previous : undefined;
  }

  /** Removes the seat's channel, if it is this one (or any, when none is given). */
  detach(seatId: string, channel?: PeerChannel): boolean {
    const current = this.channels.get(seatId);
    if (!current || (channel && current.id !== channel.id)) return false;
    this.channels.delete(seatId);
    this.hands.delete(seatId);
    this.dropped.add(seatId);
    return true;
  }

  /** True if the seat dropped on this node (as opposed to coming back after a restart), and forgets it. */
  takeDropped(seatId: string): boolean {
    return this.dropped.delete(seatId);
  }

  handRaised(seatId: string): boolean {
    return this.hands.has(seatId);
  }

  setHand(seatId: string, raised: boolean): void {
    if (raised) this.hands.add(seatId);
    else this.hands.delete(seatId);
  }

  /** To every connected seat that `accept` lets through. */
  notifyWhere<E extends NotificationName>(accept: (seat: SeatRecord) => boolean, event: E, payload: NotificationOf<E>): void {
    this.notifyEachWhere(accept, event, () => payload);
  }

  /** As notifyWhere, with a payload made for each seat (what the policy lets that seat see). */
  notifyEachWhere<E extends NotificationName>(
    accept: (seat: SeatRecord) => boolean,
    event: E,
    payloadFor: (seat: SeatRecord) => NotificationOf<E>,
  ): void {
    for (const [seatId, channel] of this.channels) {
      const seat = this.seats.get(seatId);
      if (seat && accept(seat)) channel.notify(event, payloadFor(seat));
    }
  }

  /** Closes every channel, telling each first. */
  closeAll(notify?: (channel: PeerChannel) => void): void {
    for (const channel of this.channels.values()) {
      notify?.(channel);
      channel.close();
    }
    this.channels.clear();
    this.hands.clear();
  }

  /** Writes "seen now" for everyone connected, so after a crash people seen within the grace period come straight back. */
  async recordSeen(): Promise<void> {
    const now = Date.now();
    const touched: SeatRecord[] = [];
    for (const seatId of this.channels.keys()) {
      const seat = this.seats.get(seatId);
      if (seat) {
        seat.lastSeenAt = now;
        touched.push(seat);
      }
    }
    await this.store.saveSeats(this.sessionId, touched);
  }
}
