import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Role, SeatState, SelfTest, SessionSummary } from '../../signaling/index.js';
import type { Redis } from '../store/index.js';

export const SeatRecord = z.object({
  seatId: z.string(),
  role: Role,
  displayName: z.string(),
  host: z.boolean(),
  state: SeatState,
  selfTest: SelfTest.optional(),
  /** Epoch ms when the seat's last socket went away; decides whether a returning admitted seat skips the waiting room. */
  lastSeenAt: z.number().optional(),
  createdAt: z.string(),
});
export type SeatRecord = z.infer<typeof SeatRecord>;
export type SessionRecord = SessionSummary;

export function newId(): string {
  return randomBytes(12).toString('base64url');
}

const keys = {
  session: (id: string) => `cl:session:${id}`,
  seats: (id: string) => `cl:session:${id}:seats`,
  index: 'cl:sessions',
};

/** Sessions and seats in Redis: what must survive a page reload or a server restart. */
export class SessionStore {
  constructor(private readonly redis: Redis) {}

  async createSession(record: SessionRecord): Promise<void> {
    await this.redis
      .multi()
      .set(keys.session(record.id), JSON.stringify(record))
      .zAdd(keys.index, { score: Date.parse(record.createdAt), value: record.id })
      .exec();
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const raw = await this.redis.get(keys.session(id));
    return raw ? SessionSummary.parse(JSON.parse(raw)) : undefined;
  }

  async saveSession(record: SessionRecord): Promise<void> {
    await this.redis.set(keys.session(record.id), JSON.stringify(record));
  }

  async recentSessionIds(limit: number): Promise<string[]> {
    return this.redis.zRange(keys.index, 0, limit - 1, { REV: true });
  }

  async getSeats(sessionId: string): Promise<Map<string, SeatRecord>> {
    const all = await this.redis.hGetAll(keys.seats(sessionId));
    const seats = new Map<string, SeatRecord>();
    for (const [seatId, raw] of Object.entries(all)) seats.set(seatId, SeatRecord.parse(JSON.parse(raw)));
    return seats;
  }

  async saveSeat(sessionId: string, seat: SeatRecord): Promise<void> {
    await this.redis.hSet(keys.seats(sessionId), seat.seatId, JSON.stringify(seat));
  }

  async saveSeats(sessionId: string, seats: SeatRecord[]): Promise<void> {
    if (seats.length === 0) return;
    await this.redis.hSet(keys.seats(sessionId), Object.fromEntries(seats.map((s) => [s.seatId, JSON.stringify(s)])));
  }
}
