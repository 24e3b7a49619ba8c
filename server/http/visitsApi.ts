import { z } from 'zod';
import { assertAllowed, authorize, CourtLinkError, DisplayName, type EventActor, SessionId, Title } from '../../signaling/index.js';
import type { StaffActor } from '../auth/staffActor.js';
import { maskName, maskPhone } from '../records/masking.js';
import { RecordId } from '../records/schemas.js';
import { issueSeatInvite, linkToSeat, type SeatInviteDeps } from '../records/seatInvites.js';
import { FamilyMember, type VisitRecord, type VisitStore } from '../visits/VisitStore.js';
import type { RouteRegistry } from './routes.js';

const officers = ['correctional_officer', 'admin'] as const;
const eventActor = (actor: StaffActor): EventActor => ({ kind: 'staff', accountId: actor.accountId, staffRole: actor.staffRole });

const NewVisit = z
  .object({
    title: Title.optional(),
    scheduledAt: z.iso.datetime({ offset: true }),
    /** How long after scheduledAt the visit may still start. */
    startWindowMinutes: z.number().int().min(5).max(240).default(30),
    durationSeconds: z
      .number()
      .int()
      .min(5)
      .max(4 * 3600)
      .default(30 * 60),
    /** Warnings before the end, in seconds left. */
    warnAtSeconds: z.array(z.number().int().min(1).max(3600)).max(4).default([300, 60]),
    officerName: DisplayName,
    supervisedPerson: z.object({ name: DisplayName }).strict(),
    family: z
      .array(FamilyMember.omit({ seatId: true }).strict())
      .min(1)
      .max(10),
    siteId: RecordId.optional(),
  })
  .strict();

const Link = z.object({ seatId: z.string(), role: z.string(), displayName: z.string(), url: z.string(), expiresAt: z.string() });
const VisitAnswer = z.object({
  sessionId: z.string(),
  scheduledAt: z.string(),
  startBy: z.string(),
  durationSeconds: z.number(),
  endsAt: z.string().optional(),
  status: z.string(),
  family: z.array(z.object({ seatId: z.string(), name: z.string(), relationship: z.string(), phone: z.string(), approved: z.boolean() })),
  outcome: z.unknown().optional(),
});
const VisitParams = z.object({ sessionId: SessionId }).strict();
const FamilyParams = z.object({ sessionId: SessionId, seatId: z.string().regex(/^[A-Za-z0-9]{8,64}$/) }).strict();

export type VisitsApiDeps = SeatInviteDeps & { visits: VisitStore };

/** Supervised visits (社区矫正远程视频会见, issue 12): the correctional officer schedules, approves family, and starts. */
export function registerVisitsApi(registry: RouteRegistry, deps: VisitsApiDeps): void {
  const { sessions, visits } = deps;

  /** The visit, if the caller's organisation runs it; another organisation's visit is NOT_FOUND. */
  const requireVisit = async (actor: StaffActor, sessionId: string) => {
    const visit = await visits.get(sessionId);
    const session = visit && (await sessions.get(sessionId));
    if (!visit || !session) throw new CourtLinkError('NOT_FOUND', 'No such visit.');
    assertAllowed(actor, 'invite', undefined, session.core.policyState());
    return { visit, session };
  };

  const answer = (visit: VisitRecord, session: Awaited<ReturnType<typeof requireVisit>>['session']) => ({
    sessionId: visit.sessionId,
    scheduledAt: visit.scheduledAt,
    startBy: visit.startBy,
    durationSeconds: visit.durationSeconds,
    ...(session.summary.endsAt ? { endsAt: session.summary.endsAt } : {}),
    status: session.summary.status,
    family: visit.family.map((f) => ({
      seatId: f.seatId,
      name: maskName(f.name),
      relationship: f.relationship,
      phone: maskPhone(f.phone),
      approved: session.core.seats.get(f.seatId)?.approved !== false,
    })),
    ...(visit.outcome ? { outcome: visit.outcome } : {}),
  });

  registry.route(
    {
      method: 'post',
      path: '/visits',
      auth: officers,
      tag: 'visits',
      summary: 'Schedule a supervised visit: the officer (host), the supervised person and family members (each approved later)',
      body: NewVisit,
      response: z.object({
        sessionId: z.string(),
        officer: Link,
        supervisedPerson: Link,
        family: z.array(Link.extend({ relationship: z.string() })),
      }),
      status: 201,
    },
    async ({ actor, body }) => {
      assertAllowed(actor, 'create_session', undefined, undefined);
      const ttlSeconds = Math.max(3600, Math.ceil((Date.parse(body.scheduledAt) - Date.now()) / 1000) + 24 * 3600);
      const record = await sessions.create(
        {
          type: 'visit',
          title: body.title ?? '社区矫正远程视频会见',
          scheduledAt: body.scheduledAt,
          orgId: actor.orgId,
          ...(body.siteId ? { siteId: body.siteId } : {}),
        },
        eventActor(actor),
      );
      const invite = (role: 'correctional_officer' | 'supervised_person' | 'family', displayName: string) =>
        issueSeatInvite(deps, record.id, eventActor(actor), { role, displayName, ttlSeconds });
      const officer = await invite('correctional_officer', body.officerName);
      const supervised = await invite('supervised_person', body.supervisedPerson.name);
      const family = [];
      for (const member of body.family) family.push({ ...(await invite('family', member.name)), ...member });
      await visits.save({
        sessionId: record.id,
        orgId: actor.orgId,
        officerSeatId: officer.seatId,
        supervisedSeatId: supervised.seatId,
        family: family.map((f) => ({ seatId: f.seatId, name: f.name, relationship: f.relationship, phone: f.phone })),
        scheduledAt: body.scheduledAt,
        startBy: new Date(Date.parse(body.scheduledAt) + body.startWindowMinutes * 60_000).toISOString(),
        durationSeconds: body.durationSeconds,
        warnAtSeconds: body.warnAtSeconds,
        createdBy: actor.accountId,
      });
      const link = (l: typeof officer) => ({
        seatId: l.seatId,
        role: l.role,
        displayName: l.displayName,
        url: l.url,
        expiresAt: l.expiresAt,
      });
      return {
        sessionId: record.id,
        officer: link(officer),
        supervisedPerson: link(supervised),
        family: family.map((f) => ({ ...link(f), relationship: f.relationship })),
      };
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/visits/:sessionId',
      auth: officers,
      tag: 'visits',
      summary: 'A visit: family (masked) and their approval, its clock, and its record once ended',
      params: VisitParams,
      response: VisitAnswer,
    },
    async ({ actor, params }) => {
      const { visit, session } = await requireVisit(actor, params.sessionId);
      return answer(visit, session);
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/visits/:sessionId/family/:seatId/approve',
      auth: officers,
      tag: 'visits',
      summary: 'Approve a family member: only now does their link open the visit',
      params: FamilyParams,
      response: VisitAnswer,
    },
    async ({ actor, params }) => {
      const { visit, session } = await requireVisit(actor, params.sessionId);
      await session.approveFamily(eventActor(actor), params.seatId);
      return answer(visit, session);
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/visits/:sessionId/start',
      auth: officers,
      tag: 'visits',
      summary: 'Start the visit’s clock; it ends by itself after its duration. Refused after its window (VISIT_WINDOW_CLOSED)',
      params: VisitParams,
      response: VisitAnswer,
    },
    async ({ actor, params }) => {
      const { visit, session } = await requireVisit(actor, params.sessionId);
      await session.startVisit(eventActor(actor), visit);
      return answer(visit, session);
    },
  );
  // ---- the staff page's Visits view (issue 12): a list, and fresh links to hand out again ----

  registry.route(
    {
      method: 'get',
      path: '/visits',
      auth: officers,
      tag: 'visits',
      summary: 'Recent visits of the caller’s organisations, newest first (family masked, approvals)',
      response: z.object({ visits: z.array(VisitAnswer.extend({ title: z.string() })) }),
    },
    async ({ actor }) => {
      const found = [];
      for (const record of await sessions.list(200)) {
        if (record.type !== 'visit' || !authorize(actor, 'invite', undefined, record).allowed) continue;
        const [visit, session] = await Promise.all([visits.get(record.id), sessions.get(record.id)]);
        if (visit && session) found.push({ ...answer(visit, session), title: record.title });
        if (found.length >= 50) break;
      }
      return { visits: found };
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/visits/:sessionId/links',
      auth: officers,
      tag: 'visits',
      summary: 'Fresh short links to the visit’s existing seats (officer, supervised person, family), e.g. after a reload',
      params: VisitParams,
      response: z.object({ officer: Link, supervisedPerson: Link, family: z.array(Link.extend({ relationship: z.string() })) }),
    },
    async ({ actor, params }) => {
      const { visit, session } = await requireVisit(actor, params.sessionId);
      // Valid until a day after the start window closes: the same span a scheduled visit's first links get.
      const ttlSeconds = Math.max(3600, Math.ceil((Date.parse(visit.startBy) - Date.now()) / 1000) + 24 * 3600);
      const linkOf = async (seatId: string) => {
        const seat = session.core.seats.get(seatId);
        if (!seat) throw new CourtLinkError('NOT_FOUND', 'No such seat.');
        const { url, expiresAt } = await linkToSeat(deps, visit.sessionId, seatId, ttlSeconds);
        return { seatId, role: seat.role, displayName: seat.displayName, url, expiresAt };
      };
      const family = [];
      for (const member of visit.family) family.push({ ...(await linkOf(member.seatId)), relationship: member.relationship });
      return { officer: await linkOf(visit.officerSeatId), supervisedPerson: await linkOf(visit.supervisedSeatId), family };
    },
  );
}
