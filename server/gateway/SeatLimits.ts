import { CourtLinkError } from '../../signaling/index.js';
import type { SeatQuota } from './handlers.js';

/** How many sockets and network probes a seat may hold (see SeatLimits). */
export const seatLimitDefaults = { socketsPerSeat: 6, probesAtOnce: 1, probesPerWindow: 6, windowMs: 10 * 60_000 };

/**
 * What one seat may hold at once, across all its sockets: a few sockets (a
 * reload, a second device, the fresh sockets a stalled client opens to resume
 * while the old ones time out), one network probe at a time, and a handful of
 * probes per window. A link can therefore never be used to pile up sockets or
 * media routers.
 */
export class SeatLimits implements SeatQuota {
  private readonly sockets = new Map<string, number>();
  private readonly probes = new Map<string, { active: number; starts: number[] }>();

  constructor(private readonly limits = seatLimitDefaults) {}

  /** Claims a socket slot for the seat; throws when the seat already holds too many. */
  openSocket(seatId: string): void {
    const open = this.sockets.get(seatId) ?? 0;
    if (open >= this.limits.socketsPerSeat) throw new CourtLinkError('RATE_LIMITED', 'Too many connections for this link.');
    this.sockets.set(seatId, open + 1);
  }

  closeSocket(seatId: string): void {
    const open = (this.sockets.get(seatId) ?? 1) - 1;
    if (open <= 0) this.sockets.delete(seatId);
    else this.sockets.set(seatId, open);
  }

  startProbe(seatId: string): void {
    const now = Date.now();
    const entry = this.probes.get(seatId) ?? { active: 0, starts: [] };
    entry.starts = entry.starts.filter((t) => now - t < this.limits.windowMs);
    if (entry.active >= this.limits.probesAtOnce) throw new CourtLinkError('CONFLICT', 'A network check is already running.');
    if (entry.starts.length >= this.limits.probesPerWindow)
      throw new CourtLinkError('RATE_LIMITED', 'Too many network checks; wait a few minutes.');
    entry.active++;
    entry.starts.push(now);
    this.probes.set(seatId, entry);
  }

  endProbe(seatId: string): void {
    const entry = this.probes.get(seatId);
    if (entry) entry.active = Math.max(0, entry.active - 1);
  }
}
