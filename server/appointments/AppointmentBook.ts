import { createHash, randomInt } from 'node:crypto';
import { z } from 'zod';
import { CourtLinkError } from '../../signaling/index.js';
import { recordId } from '../records/ids.js';
import type { Redis } from '../store/index.js';

/** A lawyer's consultation slot, at a site or online. */
export const Slot = z.object({
  id: z.string(),
  orgId: z.string(),
  lawyerAccountId: z.string(),
  lawyerName: z.string(),
  siteId: z.string().optional(),
  online: z.boolean(),
  startsAt: z.string(),
  startsAtMs: z.number(),
  durationMinutes: z.number().int(),
  capacity: z.number().int().min(1),
  createdAt: z.string(),
});
export type Slot = z.infer<typeof Slot>;

export const bookingStatuses = ['booked', 'cancelled', 'completed', 'no_show'] as const;
export const Booking = z.object({
  /**
   * A reference that is not the code (the code is the citizen's secret): the
   * ledger names the booking by it. Bookings made before it existed get one on
   * their next update.
   */
  id: z.string().optional(),
  code: z.string(),
  slotId: z.string(),
  name: z.string(),
  phone: z.string(),
  status: z.enum(bookingStatuses),
  createdAt: z.string(),
  /** Set when the lawyer starts the consultation. */
  sessionId: z.string().optional(),
  joinUrl: z.string().optional(),
});
export type Booking = z.infer<typeof Booking>;

const keys = {
  slot: (id: string) => `cl:slot:${id}`,
  taken: (id: string) => `cl:slot:${id}:bookings`,
  upcoming: 'cl:slots:upcoming',
  booking: (code: string) => `cl:booking:${code}`,
  /** One booking per phone per slot: a form sent twice gives the same booking. */
  natural: (slotId: string, phone: string) => `cl:slot:${slotId}:phone:${createHash('sha256').update(phone).digest('hex').slice(0, 32)}`,
};

/**
 * Booking is one Lua call, so a slot can never be overbooked however many
 * requests race (Redis runs a script alone). Checks, in order: a repeat of the
 * same person's booking (answered with the first one), the slot exists, has
 * not begun, and has a place left.
 */
const bookScript = `
local existing = redis.call('GET', KEYS[4])
if existing then return {'repeat', existing} end
local raw = redis.call('GET', KEYS[1])
if not raw then return {'err', 'NOT_FOUND'} end
local slot = cjson.decode(raw)
if tonumber(ARGV[1]) >= slot.startsAtMs then return {'err', 'SLOT_PAST'} end
if redis.call('SCARD', KEYS[2]) >= slot.capacity then return {'err', 'SLOT_FULL'} end
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], ARGV[3])
redis.call('SET', KEYS[4], ARGV[2])
return {'ok', ARGV[2]}
`;

/** Cancelling frees the place, atomically with the status change. */
const cancelScript = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 'NOT_FOUND' end
local booking = cjson.decode(raw)
if booking.status ~= 'booked' then return 'CONFLICT' end
booking.status = 'cancelled'
redis.call('SET', KEYS[1], cjson.encode(booking))
redis.call('SREM', KEYS[2], booking.code)
redis.call('DEL', KEYS[3])
return 'ok'
`;

/** Booking codes people read out on the phone: no 0/O or 1/I/L. */
const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function bookingCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) code += codeAlphabet[randomInt(codeAlphabet.length)];
  return code;
}

/** Consultation by appointment (issue 12): lawyers' slots and citizens' bookings, in Redis. */
export class AppointmentBook {
  constructor(private readonly redis: Redis) {}

  async publish(input: Omit<Slot, 'id' | 'createdAt' | 'startsAtMs'>): Promise<Slot> {
    const slot = Slot.parse({ ...input, id: recordId(), startsAtMs: Date.parse(input.startsAt), createdAt: new Date().toISOString() });
    await this.redis
      .multi()
      .set(keys.slot(slot.id), JSON.stringify(slot))
      .zAdd(keys.upcoming, { score: slot.startsAtMs, value: slot.id })
      .exec();
    return slot;
  }

  async slot(id: string): Promise<Slot | undefined> {
    const raw = await this.redis.get(keys.slot(id));
    return raw ? Slot.parse(JSON.parse(raw)) : undefined;
  }

  /** Slots that have not begun, soonest first, with the places left. */
  async upcoming(now = Date.now(), limit = 100): Promise<(Slot & { placesLeft: number })[]> {
    const ids = await this.redis.zRangeByScore(keys.upcoming, now + 1, '+inf', { LIMIT: { offset: 0, count: limit } });
    const slots = (await Promise.all(ids.map((id) => this.slot(id)))).filter((s): s is Slot => s !== undefined);
    const taken = await Promise.all(slots.map((s) => this.redis.sCard(keys.taken(s.id))));
    return slots.map((s, i) => ({ ...s, placesLeft: Math.max(0, s.capacity - (taken[i] ?? 0)) }));
  }

  /** Books a place; the same phone on the same slot gets its first booking back (created: false). */
  async book(slotId: string, name: string, phone: string, now = Date.now()): Promise<{ booking: Booking; created: boolean }> {
    const code = bookingCode();
    const booking: Booking = { id: recordId(), code, slotId, name, phone, status: 'booked', createdAt: new Date(now).toISOString() };
    const [verdict, value] = (await this.redis.eval(bookScript, {
      keys: [keys.slot(slotId), keys.taken(slotId), keys.booking(code), keys.natural(slotId, phone)],
      arguments: [String(now), code, JSON.stringify(booking)],
    })) as [string, string];
    if (verdict === 'err') throw new CourtLinkError(value as 'NOT_FOUND' | 'SLOT_PAST' | 'SLOT_FULL');
    if (verdict === 'repeat') return { booking: await this.requireBooking(value), created: false };
    return { booking, created: true };
  }

  async booking(code: string): Promise<Booking | undefined> {
    const raw = await this.redis.get(keys.booking(code));
    return raw ? Booking.parse(JSON.parse(raw)) : undefined;
  }

  async requireBooking(code: string): Promise<Booking> {
    const booking = await this.booking(code);
    if (!booking) throw new CourtLinkError('BOOKING_NOT_FOUND');
    return booking;
  }

  async cancel(code: string): Promise<void> {
    const booking = await this.requireBooking(code);
    const result = (await this.redis.eval(cancelScript, {
      keys: [keys.booking(code), keys.taken(booking.slotId), keys.natural(booking.slotId, booking.phone)],
    })) as string;
    if (result === 'NOT_FOUND') throw new CourtLinkError('BOOKING_NOT_FOUND');
    if (result === 'CONFLICT') throw new CourtLinkError('CONFLICT', 'This booking is no longer active.');
  }

  /** Live bookings of a slot (booked, completed, no-show). */
  async bookingsOf(slotId: string): Promise<Booking[]> {
    const codes = await this.redis.sMembers(keys.taken(slotId));
    return (await Promise.all(codes.map((c) => this.booking(c)))).filter((b): b is Booking => b !== undefined);
  }

  async update(code: string, change: Partial<Pick<Booking, 'status' | 'sessionId' | 'joinUrl'>>): Promise<Booking & { id: string }> {
    const current = await this.requireBooking(code);
    const next = { ...current, id: current.id ?? recordId(), ...change };
    await this.redis.set(keys.booking(code), JSON.stringify(Booking.parse(next)));
    return next;
  }
}
