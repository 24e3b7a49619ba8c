import { z } from 'zod';
import { CourtLinkError, DisplayName, type EventActor } from '../../signaling/index.js';
import { type AppointmentBook, Booking, Slot } from '../appointments/AppointmentBook.js';
import { recordConsultationOutcome } from '../appointments/consultationLedger.js';
import type { StaffActor } from '../auth/staffActor.js';
import type { LedgerStore } from '../records/LedgerStore.js';
import { maskName, maskPhone } from '../records/masking.js';
import { RecordId } from '../records/schemas.js';
import { issueSeatInvite, linkToSeat, type SeatInviteDeps } from '../records/seatInvites.js';
import type { RouteRegistry } from './routes.js';

const lawyers = ['lawyer', 'mediator', 'admin'] as const;
const eventActor = (actor: StaffActor): EventActor => ({ kind: 'staff', accountId: actor.accountId, staffRole: actor.staffRole });
/** The lawyer may open the room this long before the slot begins. */
const earlyStartMs = 15 * 60_000;

const NewSlot = z
  .object({
    lawyerName: DisplayName,
    siteId: RecordId.optional(),
    online: z.boolean().default(false),
    startsAt: z.iso.datetime({ offset: true }),
    durationMinutes: z.number().int().min(10).max(240).default(30),
    capacity: z.number().int().min(1).max(20).default(1),
  })
  .strict();
const NewBooking = z
  .object({
    slotId: RecordId,
    name: DisplayName,
    phone: z.string().regex(/^\+?[0-9]{7,15}$/, 'a phone number'),
  })
  .strict();
const CodeParams = z.object({ code: z.string().regex(/^[A-Z0-9]{6,16}$/, 'a booking code') }).strict();
const SlotParams = z.object({ slotId: RecordId }).strict();
const PublicSlot = Slot.omit({ orgId: true, lawyerAccountId: true, startsAtMs: true, createdAt: true }).extend({ placesLeft: z.number() });
const PublicBooking = Booking.omit({ id: true, phone: true, sessionId: true }).extend({
  slot: PublicSlot.omit({ placesLeft: true }).optional(),
});

export type AppointmentsApiDeps = SeatInviteDeps & { book: AppointmentBook; ledger: LedgerStore };

/** Consultation by appointment (issue 12): lawyers publish slots, citizens book without an account, the lawyer starts the video session. */
export function registerAppointmentsApi(registry: RouteRegistry, deps: AppointmentsApiDeps): void {
  const { book, sessions } = deps;
  const publicSlot = ({ orgId: _o, lawyerAccountId: _l, startsAtMs: _s, createdAt: _c, ...rest }: Slot) => rest;
  const publicBooking = async (b: Booking) => {
    const slot = await book.slot(b.slotId);
    const { id: _i, phone: _p, sessionId: _s, ...rest } = b;
    return { ...rest, name: maskName(b.name), ...(slot ? { slot: publicSlot(slot) } : {}) };
  };
  const requireOwnSlot = async (actor: StaffActor, slotId: string) => {
    const slot = await book.slot(slotId);
    if (!slot || (slot.lawyerAccountId !== actor.accountId && !(actor.staffRole === 'admin' && actor.orgId === slot.orgId)))
      throw new CourtLinkError('NOT_FOUND', 'No such slot.');
    return slot;
  };

  registry.route(
    {
      method: 'post',
      path: '/slots',
      auth: lawyers,
      tag: 'appointments',
      summary: 'Publish a consultation slot',
      body: NewSlot,
      response: z.object({ slot: Slot }),
      status: 201,
    },
    async ({ actor, body }) => {
      if (Date.parse(body.startsAt) <= Date.now()) throw new CourtLinkError('SLOT_PAST', 'A slot must begin in the future.');
      return { slot: await book.publish({ ...body, orgId: actor.orgId, lawyerAccountId: actor.accountId }) };
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/slots',
      auth: 'public',
      tag: 'public',
      summary: 'Upcoming consultation slots with the places left',
      response: z.object({ slots: z.array(PublicSlot) }),
    },
    async () => ({ slots: (await book.upcoming()).map((s) => ({ ...publicSlot(s), placesLeft: s.placesLeft })) }),
  );

  registry.route(
    {
      method: 'post',
      path: '/bookings',
      auth: 'public',
      tag: 'public',
      summary: 'Book a slot with a name and phone (no account). Sent twice, the same booking comes back',
      body: NewBooking,
      response: z.object({ code: z.string(), url: z.string(), created: z.boolean() }),
      status: 201,
    },
    async ({ body }) => {
      const { booking, created } = await book.book(body.slotId, body.name, body.phone);
      return { code: booking.code, url: `${deps.publicUrl()}/b/${booking.code}`, created };
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/bookings/:code',
      auth: 'public',
      tag: 'public',
      summary: 'A booking by its code; joinUrl once the lawyer has started',
      params: CodeParams,
      response: PublicBooking,
    },
    async ({ params }) => publicBooking(await book.requireBooking(params.code)),
  );

  registry.route(
    {
      method: 'post',
      path: '/bookings/:code/cancel',
      auth: 'public',
      tag: 'public',
      summary: 'Cancel a booking with its code',
      params: CodeParams,
      response: PublicBooking,
    },
    async ({ params }) => {
      await book.cancel(params.code);
      return publicBooking(await book.requireBooking(params.code));
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/slots/:slotId/bookings',
      auth: lawyers,
      tag: 'appointments',
      summary: 'The bookings of one of the caller’s slots (phones masked)',
      params: SlotParams,
      response: z.object({ bookings: z.array(Booking) }),
    },
    async ({ actor, params }) => {
      await requireOwnSlot(actor, params.slotId);
      return { bookings: (await book.bookingsOf(params.slotId)).map((b) => ({ ...b, name: maskName(b.name), phone: maskPhone(b.phone) })) };
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/slots/:slotId/start',
      auth: lawyers,
      tag: 'appointments',
      summary:
        'At the slot time: a one-to-one video session per booking (the citizen’s booking link then opens it); pressed again, fresh links to the same sessions',
      params: SlotParams,
      response: z.object({ sessions: z.array(z.object({ code: z.string(), sessionId: z.string(), lawyerUrl: z.string() })) }),
    },
    async ({ actor, params }) => {
      const slot = await requireOwnSlot(actor, params.slotId);
      const now = Date.now();
      if (now < slot.startsAtMs - earlyStartMs) throw new CourtLinkError('CONFLICT', 'This slot has not begun yet.');
      if (now > slot.startsAtMs + slot.durationMinutes * 60_000) throw new CourtLinkError('SLOT_PAST', 'This slot is over.');
      const started = [];
      const ttlSeconds = slot.durationMinutes * 60 + 3600;
      for (const booking of await book.bookingsOf(slot.id)) {
        if (booking.status !== 'booked') continue;
        if (booking.sessionId && booking.joinUrl) {
          // Started before (the lawyer reloaded, or pressed again): a fresh link to the same counsel seat.
          const counsel = [...((await sessions.get(booking.sessionId))?.core.seats.values() ?? [])].find((seat) => seat.role === 'counsel');
          if (!counsel) continue;
          const { url } = await linkToSeat(deps, booking.sessionId, counsel.seatId, ttlSeconds);
          started.push({ code: booking.code, sessionId: booking.sessionId, lawyerUrl: url });
          continue;
        }
        const session = await sessions.create(
          {
            type: 'consultation',
            title: '法律咨询',
            scheduledAt: slot.startsAt,
            orgId: slot.orgId,
            ...(slot.siteId ? { siteId: slot.siteId } : {}),
          },
          eventActor(actor),
        );
        const invite = (role: 'counsel' | 'party', displayName: string) =>
          issueSeatInvite(deps, session.id, eventActor(actor), { role, displayName, ttlSeconds });
        const lawyer = await invite('counsel', slot.lawyerName);
        const citizen = await invite('party', booking.name);
        await book.update(booking.code, { sessionId: session.id, joinUrl: citizen.url });
        started.push({ code: booking.code, sessionId: session.id, lawyerUrl: lawyer.url });
      }
      return { sessions: started };
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/bookings/:code/outcome',
      auth: lawyers,
      tag: 'appointments',
      summary: 'Record a completed consultation or a no-show; it feeds the ledger once, however often it is sent',
      params: CodeParams,
      body: z.object({ status: z.enum(['completed', 'no_show']) }).strict(),
      response: PublicBooking,
    },
    async ({ actor, params, body }) => {
      const booking = await book.requireBooking(params.code);
      const slot = await requireOwnSlot(actor, booking.slotId);
      if (booking.status === 'cancelled') throw new CourtLinkError('CONFLICT', 'This booking was cancelled.');
      const updated = await book.update(params.code, { status: body.status });
      await recordConsultationOutcome(deps.ledger, actor, slot, updated, body.status);
      return publicBooking(updated);
    },
  );
  // ---- the staff page's Consultations view (issue 12): the caller's own slots with their bookings ----
  registry.route(
    {
      method: 'get',
      path: '/slots/mine',
      auth: lawyers,
      tag: 'appointments',
      summary: 'The caller’s slots from the last day on, soonest first, each with its bookings (names and phones masked)',
      response: z.object({ slots: z.array(Slot.extend({ placesLeft: z.number(), bookings: z.array(Booking) })) }),
    },
    async ({ actor }) => {
      // From a day back, so a slot under way or just over can still be started or given its outcomes.
      const recent = await book.upcoming(Date.now() - 24 * 3600_000, 500);
      const mine = recent.filter((s) => s.lawyerAccountId === actor.accountId);
      const slots = [];
      for (const slot of mine) {
        const bookings = (await book.bookingsOf(slot.id)).map((b) => ({ ...b, name: maskName(b.name), phone: maskPhone(b.phone) }));
        slots.push({ ...slot, bookings });
      }
      return { slots };
    },
  );
}
