import type { Request, RequestHandler } from 'express';
import { CourtLinkError } from '../../signaling/index.js';
import type { AccountStore } from '../records/AccountStore.js';
import { type LoginSessions, loginCookie } from './LoginSessions.js';
import type { TokenService } from './tokens.js';

export type StaffRole = 'admin' | 'mediator' | 'court_staff' | 'correctional_officer' | 'lawyer';

/** Who is calling a staff route: resolved once, from the sign-in cookie or a Bearer token. */
export type StaffActor = { kind: 'staff'; accountId: string; staffRole: StaffRole; orgId: string };

export type ActorDeps = { tokens: TokenService; logins: LoginSessions; accounts: AccountStore };

declare module 'express-serve-static-core' {
  interface Request {
    staffActor?: StaffActor;
  }
}

/**
 * The one place a caller becomes a StaffActor. A cookie sign-in is checked
 * against its account on every request, so disabling an account or changing
 * its role takes effect at once. A Bearer token (from `courtlink staff-token`,
 * for scripts) must name its organisation.
 */
export function createActorResolver({ tokens, logins, accounts }: ActorDeps): (req: Request) => Promise<StaffActor> {
  return async (req) => {
    if (req.staffActor) return req.staffActor;
    const bearer = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    let actor: StaffActor;
    if (bearer) {
      const claims = tokens.verifyStaff(bearer[1]);
      if (!claims.orgId) throw new CourtLinkError('UNAUTHENTICATED', 'This staff token names no organisation.');
      actor = { kind: 'staff', accountId: claims.sub, staffRole: claims.staffRole, orgId: claims.orgId };
    } else {
      const signed = (req.signedCookies as Record<string, unknown> | undefined)?.[loginCookie];
      // cookie-parser turns a cookie with a bad signature into false.
      if (req.cookies?.[loginCookie] !== undefined && signed === false) throw new CourtLinkError('UNAUTHENTICATED');
      if (typeof signed !== 'string') throw new CourtLinkError('UNAUTHENTICATED');
      const accountId = await logins.accountOf(signed);
      if (!accountId) throw new CourtLinkError('LOGIN_EXPIRED');
      const account = await accounts.get(accountId);
      if (!account) throw new CourtLinkError('LOGIN_EXPIRED');
      if (account.disabled) throw new CourtLinkError('ACCOUNT_DISABLED');
      actor = { kind: 'staff', accountId: account.id, staffRole: account.staffRole, orgId: account.orgId };
    }
    req.staffActor = actor;
    return actor;
  };
}

/** Express middleware form, for the session routes: sets req.staffActor or fails with a catalogue error. */
export function requireStaff(resolve: (req: Request) => Promise<StaffActor>): RequestHandler {
  return async (req, _res, next) => {
    await resolve(req);
    next();
  };
}
