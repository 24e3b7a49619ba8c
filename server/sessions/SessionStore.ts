import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { jointRoom, Location, Role, SeatState, SelfTest, SessionSummary } from '../../signaling/index.js';
import type { StateWrite } from '../audit/index.js';
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
  /** The joint room or a caucus; a reconnecting person returns here. */
  location: Location.default(jointRoom),
  side: z.enum(['applicant', 'respondent']).optional(),
  /** A visit's family member: false until the officer approves them (issue 12). */
  approved: z.boolean().optional(),
});
export type SeatRecord = z.infer<typeof SeatRecord>;
export type SessionRecord = SessionSummary;

const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 16 random characters; the first is always a letter or digit, so no id reads as a command-line option. */
export function newId(length = 16): string {
  const bytes = randomBytes(length);
  let id = '';
  // 62 letters and digits; 256 % 62 bias is irrelevant for identifiers that are not secrets.
  for (const byte of bytes) id += alphanumeric[byte % 62];
  return id;
}

const keys = {
  session: (id: string) => `cl:session:${id}`,
  seats: (id: string) => `cl:session:${id}:seats`,
  index: 'cl:sessions',
};

/** Sessions and seats in Redis: what must survive a page reload or a server restart. */
export class SessionStore {
  constructor(private readonly redis: Redis) {}

  /** A new session: its record and its place in the index, written with its first audit entry. */
  creationWrites(record: SessionRecord): StateWrite[] {
    return [this.sessionWrite(record), { op: 'zadd', key: keys.index, score: Date.parse(record.createdAt), member: record.id }];
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const raw = await this.redis.get(keys.session(id));
    return raw ? SessionSummary.parse(JSON.parse(raw)) : undefined;
  }

  /** The write that stores a session record, to go with its audit entry. */
  sessionWrite(record: SessionRecord): StateWrite {
    return { op: 'set', key: keys.session(record.id), value: JSON.stringify(record) };
  }

  seatWrite(sessionId: string, seat: SeatRecord): StateWrite {
    return { op: 'hset', key: keys.seats(sessionId), field: seat.seatId, value: JSON.stringify(seat) };
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

  /** Presence only (lastSeenAt): not a domain event, so written without an audit entry. */
  async saveSeats(sessionId: string, seats: SeatRecord[]): Promise<void> {
    if (seats.length === 0) return;
    await this.redis.hSet(keys.seats(sessionId), Object.fromEntries(seats.map((s) => [s.seatId, JSON.stringify(s)])));
  }
}
