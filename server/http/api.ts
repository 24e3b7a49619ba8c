import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import {
  type Action,
  assertAllowed,
  authorize,
  CourtLinkError,
  DisplayName,
  type EventActor,
  Role,
  SessionId,
  SessionType,
  type StaffActor,
  Title,
} from '../../signaling/index.js';
import type { AuditTrail } from '../audit/index.js';
import type { TokenService } from '../auth/index.js';
import { issueSeatInvite } from '../records/seatInvites.js';
import { type InviteLinks, LinkId, type LiveSession, type SessionDirectory } from '../sessions/index.js';

export type ApiDeps = {
  tokens: TokenService;
  sessions: SessionDirectory;
  links: InviteLinks;
  audit: AuditTrail;
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

export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    throw new CourtLinkError('INVALID_PAYLOAD', `The request was malformed (${issues.join('; ')}).`);
  }
  return parsed.data;
}

/** The caller of a staff route, from its Bearer token (scripts and the CLI). */
export function staffActor(tokens: TokenService, req: Request): StaffActor {
  const header = req.get('authorization') ?? '';
  const match = /^Bearer (\S+)$/.exec(header);
  if (!match) throw new CourtLinkError('UNAUTHENTICATED');
  const claims = tokens.verifyStaff(match[1]);
  return { kind: 'staff', accountId: claims.sub, staffRole: claims.staffRole, orgId: claims.orgId };
}

const eventActor = (actor: StaffActor): EventActor => ({ kind: 'staff', accountId: actor.accountId, staffRole: actor.staffRole });

/**
 * Public: what an invite link leads to. A dead link (ended session, denied or
 * removed seat) is told so before anyone sits through the self-test; only an
 * open link gets the seat's token.
 */
export function createInviteRouter({ tokens, sessions, links }: Pick<ApiDeps, 'tokens' | 'sessions' | 'links'>): Router {
  const router = Router();
  router.get('/invites/:linkId', async (req, res) => {
    const link = await links.resolve(parse(LinkId, req.params.linkId));
    if (!link) throw new CourtLinkError('LINK_EXPIRED', 'This invite link is not valid or has expired.');
    const session = await sessions.require(link.sessionId);
    const seat = session.core.seats.get(link.seatId);
    if (!seat) throw new CourtLinkError('LINK_EXPIRED', 'This invite link is not valid or has expired.');
    const { summary } = session;
    const about = {
      session: { title: summary.title, type: summary.type, recording: summary.recording, recordingForced: summary.type === 'visit' },
      seat: { role: seat.role, displayName: seat.displayName },
    };
    const status =
      summary.status === 'ended' ? 'ended' : seat.state === 'denied' ? 'denied' : seat.state === 'removed' ? 'removed' : 'open';
    if (status !== 'open') {
      res.json({ status, ...about });
      return;
    }
    const ttlSeconds = Math.max(60, Math.floor((link.expiresAt - Date.now()) / 1000));
    const token = tokens.signInvite(
      { sessionId: summary.id, seatId: seat.seatId, role: seat.role, displayName: seat.displayName },
      ttlSeconds,
    );
    res.json({ status, ...about, token });
  });
  return router;
}

/** The staff REST API: schedule sessions, issue invite links, read the audit trail. Every route asks the one policy. */
export function createApiRouter({ tokens, sessions, links, audit, publicUrl }: ApiDeps): Router {
  const api = Router();
  const allowed = async (req: Request, action: Action): Promise<{ actor: StaffActor; session: LiveSession }> => {
    const actor = staffActor(tokens, req);
    const session = await sessions.require(parse(SessionId, req.params.id));
    assertAllowed(actor, action, undefined, session.core.policyState());
    return { actor, session };
  };

  api.post('/sessions', async (req, res) => {
    const actor = staffActor(tokens, req);
    assertAllowed(actor, 'create_session', undefined, undefined);
    const input = parse(CreateSession, req.body);
    res.status(201).json({ session: await sessions.create({ ...input, orgId: actor.orgId }, eventActor(actor)) });
  });

  api.get('/sessions', async (req, res) => {
    const actor = staffActor(tokens, req);
    const all = await sessions.list(200);
    const visible = all.filter((record) => authorize(actor, 'view_session', undefined, { ...record, recordingForced: false }).allowed);
    res.json({ sessions: visible.slice(0, 50) });
  });

  api.get('/sessions/:id', async (req, res) => {
    const { session } = await allowed(req, 'view_session');
    const seats = session.seatList().map((seat) => session.participant(seat));
    res.json({ session: session.summary, seats });
  });

  api.post('/sessions/:id/invites', async (req, res) => {
    const { actor, session } = await allowed(req, 'invite');
    const input = parse(CreateInvite, req.body);
    const seat = await issueSeatInvite({ sessions, links, publicUrl }, session.id, eventActor(actor), input);
    // For scripts that connect a socket themselves; people get the short link.
    const token = tokens.signInvite(
      { sessionId: session.id, seatId: seat.seatId, role: seat.role, displayName: seat.displayName },
      input.ttlSeconds,
    );
    res.status(201).json({ ...seat, token });
  });

  api.get('/sessions/:id/audit', async (req, res: Response) => {
    const { session } = await allowed(req, 'view_audit');
    res.type('application/x-ndjson').send(await audit.exportJsonl(session.id));
  });

  // The API reveals nothing, not even which routes exist, without a staff token.
  api.use((req, _res, next) => {
    staffActor(tokens, req);
    next(new CourtLinkError('NOT_FOUND'));
  });

  return api;
}
