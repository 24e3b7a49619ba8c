import type { Request } from 'express';
import { z } from 'zod';
import {
  type Action,
  assertAllowed,
  authorize,
  CourtLinkError,
  DisplayName,
  type EventActor,
  isRecordingForced,
  Participant,
  Role,
  SessionId,
  SessionSummary,
  SessionType,
  type StaffActor,
  Title,
} from '../../signaling/index.js';
import type { AuditTrail } from '../audit/index.js';
import type { TokenService } from '../auth/index.js';
import { issueSeatInvite } from '../records/seatInvites.js';
import { type InviteLinks, LinkId, type LiveSession, type SessionDirectory } from '../sessions/index.js';
import { FileAnswer, RouteRegistry } from './routes.js';

export type ApiDeps = {
  tokens: TokenService;
  sessions: SessionDirectory;
  links: InviteLinks;
  audit: AuditTrail;
  /** A signed-in staff member from the back office's cookie, when there is no Bearer token. */
  cookieActor: (req: Request) => Promise<StaffActor>;
  /** Base of invite links, e.g. http://127.0.0.1:3000 */
  publicUrl: () => string;
};

const CreateSession = z.object({ type: SessionType, title: Title, scheduledAt: z.iso.datetime({ offset: true }).optional() }).strict();
const CreateInvite = z
  .object({
    role: Role,
    displayName: DisplayName,
    side: z.enum(['applicant', 'respondent']).optional(),
    /** 5 minutes to 30 days; default 2 hours. */
    ttlSeconds: z
      .number()
      .int()
      .min(300)
      .max(30 * 86400)
      .default(7200),
  })
  .strict();
const SessionParams = z.object({ id: SessionId }).strict();
const LinkParams = z.object({ linkId: LinkId }).strict();
const InviteAnswer = z.object({
  seatId: z.string(),
  role: Role,
  displayName: z.string(),
  host: z.boolean(),
  linkId: z.string(),
  url: z.string(),
  token: z.string(),
  expiresAt: z.string(),
});
const LinkAnswer = z.object({
  /** awaiting_approval: a visit's family seat the officer has not approved yet; no token until they do. */
  status: z.enum(['open', 'ended', 'denied', 'removed', 'awaiting_approval']),
  session: z.object({ title: z.string(), type: SessionType, recording: z.boolean(), recordingForced: z.boolean() }),
  seat: z.object({ role: Role, displayName: z.string() }),
  token: z.string().optional(),
});

/** The caller of a session route: a script's Bearer staff token (an administrator's may name no organisation), or a signed-in staff member. */
export function staffActorResolver(tokens: TokenService, cookieActor: (req: Request) => Promise<StaffActor>) {
  return async (req: Request): Promise<StaffActor> => {
    const header = req.get('authorization');
    if (header === undefined) return cookieActor(req);
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match) throw new CourtLinkError('UNAUTHENTICATED');
    const claims = tokens.verifyStaff(match[1]);
    return { kind: 'staff', accountId: claims.sub, staffRole: claims.staffRole, orgId: claims.orgId };
  };
}

const eventActor = (actor: StaffActor): EventActor => ({ kind: 'staff', accountId: actor.accountId, staffRole: actor.staffRole });

/**
 * The session REST API: schedule sessions, issue invite links, read the audit
 * trail, and (public) learn what an invite link leads to. Every route is in
 * the route registry, so the OpenAPI document lists it, and asks the one policy.
 */
export function createSessionApi(deps: ApiDeps): RouteRegistry<StaffActor> {
  const { tokens, sessions, links, audit, publicUrl } = deps;
  const resolveActor = staffActorResolver(tokens, deps.cookieActor);
  const registry = new RouteRegistry<StaffActor>(resolveActor);
  const allowed = async (actor: StaffActor, id: string, action: Action): Promise<LiveSession> => {
    const session = await sessions.require(id);
    assertAllowed(actor, action, undefined, session.core.policyState());
    return session;
  };

  registry.route(
    {
      method: 'post',
      path: '/sessions',
      auth: 'staff',
      tag: 'sessions',
      summary: 'Create a session',
      body: CreateSession,
      response: z.object({ session: SessionSummary }),
      status: 201,
    },
    async ({ actor, body }) => {
      assertAllowed(actor, 'create_session', undefined, undefined);
      return { session: await sessions.create({ ...body, orgId: actor.orgId }, eventActor(actor)) };
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/sessions',
      auth: 'staff',
      tag: 'sessions',
      summary: 'Recent sessions the caller may see',
      response: z.object({ sessions: z.array(SessionSummary) }),
    },
    async ({ actor }) => {
      const all = await sessions.list(200);
      const visible = all.filter((record) => authorize(actor, 'view_session', undefined, record).allowed);
      return { sessions: visible.slice(0, 50) };
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/sessions/:id',
      auth: 'staff',
      tag: 'sessions',
      summary: 'One session with its seats',
      params: SessionParams,
      response: z.object({ session: SessionSummary, seats: z.array(Participant) }),
    },
    async ({ actor, params }) => {
      const session = await allowed(actor, params.id, 'view_session');
      return { session: session.summary, seats: session.seatList().map((seat) => session.participant(seat)) };
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/sessions/:id/invites',
      auth: 'staff',
      tag: 'sessions',
      summary: 'Add a seat and get its short invite link',
      params: SessionParams,
      body: CreateInvite,
      response: InviteAnswer,
      status: 201,
    },
    async ({ actor, params, body }) => {
      const session = await allowed(actor, params.id, 'invite');
      const seat = await issueSeatInvite({ sessions, links, publicUrl }, session.id, eventActor(actor), body);
      // For scripts that connect a socket themselves; people get the short link.
      const token = tokens.signInvite(
        { sessionId: session.id, seatId: seat.seatId, role: seat.role, displayName: seat.displayName },
        body.ttlSeconds,
      );
      return { ...seat, token };
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/sessions/:id/audit',
      auth: 'staff',
      tag: 'sessions',
      summary: 'The session’s hash-chained audit trail, as JSON Lines',
      params: SessionParams,
      produces: 'application/x-ndjson',
    },
    async ({ actor, params }) => {
      const session = await allowed(actor, params.id, 'view_audit');
      return new FileAnswer(await audit.exportJsonl(session.id), 'application/x-ndjson', `audit-${session.id}.jsonl`);
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/invites/:linkId',
      auth: 'public',
      tag: 'invites',
      summary: 'What an invite link leads to; an open link gets its seat token, a dead link says why, an unapproved family seat waits',
      params: LinkParams,
      response: LinkAnswer,
    },
    async ({ params }) => {
      const link = await links.resolve(params.linkId);
      if (!link) throw new CourtLinkError('LINK_EXPIRED', 'This invite link is not valid or has expired.');
      const session = await sessions.require(link.sessionId);
      const seat = session.core.seats.get(link.seatId);
      if (!seat) throw new CourtLinkError('LINK_EXPIRED', 'This invite link is not valid or has expired.');
      const { summary } = session;
      const about = {
        session: {
          title: summary.title,
          type: summary.type,
          recording: summary.recording,
          recordingForced: isRecordingForced(summary.type),
        },
        seat: { role: seat.role, displayName: seat.displayName },
      };
      // Told before the self-test: an unapproved family member would only be refused (VISIT_FAMILY_UNAPPROVED) after it.
      const status: z.infer<typeof LinkAnswer>['status'] =
        summary.status === 'ended'
          ? 'ended'
          : seat.state === 'denied'
            ? 'denied'
            : seat.state === 'removed'
              ? 'removed'
              : seat.approved === false
                ? 'awaiting_approval'
                : 'open';
      if (status !== 'open') return { status, ...about };
      const ttlSeconds = Math.max(60, Math.floor((link.expiresAt - Date.now()) / 1000));
      const token = tokens.signInvite(
        { sessionId: summary.id, seatId: seat.seatId, role: seat.role, displayName: seat.displayName },
        ttlSeconds,
      );
      return { status, ...about, token };
    },
  );

  // The API reveals nothing, not even which routes exist, without a staff token.
  registry.router.use(async (req, _res, next) => {
    await resolveActor(req);
    next(new CourtLinkError('NOT_FOUND'));
  });
  return registry;
}
