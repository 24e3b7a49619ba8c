import { type Request, Router } from 'express';
import { z } from 'zod';
import { CourtLinkError, DisplayName, Role, SessionId, SessionType, Title } from '../../signaling/index.js';
import type { StaffClaims, TokenService } from '../auth/index.js';
import type { SessionDirectory } from '../sessions/index.js';

export type ApiDeps = {
  tokens: TokenService;
  sessions: SessionDirectory;
  /** Base of invite links, e.g. http://127.0.0.1:3000 */
  publicUrl: () => string;
};

const CreateSession = z.object({ type: SessionType, title: Title, scheduledAt: z.iso.datetime({ offset: true }).optional() }).strict();
const CreateInvite = z
  .object({
    role: Role,
    displayName: DisplayName,
    /** 5 minutes to 30 days; default 2 hours. */
    ttlSeconds: z
      .number()
      .int()
      .min(300)
      .max(30 * 86400)
      .default(7200),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    throw new CourtLinkError('INVALID_PAYLOAD', `The request was malformed (${issues.join('; ')}).`);
  }
  return parsed.data;
}

function staff(tokens: TokenService, req: Request): StaffClaims {
  const header = req.get('authorization') ?? '';
  const match = /^Bearer (\S+)$/.exec(header);
  if (!match) throw new CourtLinkError('UNAUTHENTICATED');
  return tokens.verifyStaff(match[1]);
}

/** The staff REST API: schedule sessions and issue invite links. Parties never call it; they hold invite tokens. */
export function createApiRouter({ tokens, sessions, publicUrl }: ApiDeps): Router {
  const api = Router();
  api.use((req, _res, next) => {
    staff(tokens, req);
    next();
  });

  api.post('/sessions', async (req, res) => {
    const input = parse(CreateSession, req.body);
    res.status(201).json({ session: await sessions.create(input) });
  });

  api.get('/sessions', async (_req, res) => {
    res.json({ sessions: await sessions.list(50) });
  });

  api.get('/sessions/:id', async (req, res) => {
    const session = await sessions.require(parse(SessionId, req.params.id));
    const seats = session.seatList().map((seat) => session.participant(seat));
    res.json({ session: session.summary, seats });
  });

  api.post('/sessions/:id/invites', async (req, res) => {
    const sessionId = parse(SessionId, req.params.id);
    const input = parse(CreateInvite, req.body);
    const seat = await sessions.invite(sessionId, input);
    const token = tokens.signInvite({ sessionId, seatId: seat.seatId, role: seat.role, displayName: seat.displayName }, input.ttlSeconds);
    res.status(201).json({
      seatId: seat.seatId,
      role: seat.role,
      host: seat.host,
      token,
      url: `${publicUrl()}/j/${token}`,
      expiresAt: new Date(Date.now() + input.ttlSeconds * 1000).toISOString(),
    });
  });

  return api;
}
