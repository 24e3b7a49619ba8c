import { z } from 'zod';
import { CourtLinkError } from '../../signaling/index.js';
import { decoyHash, verifyPassword } from '../auth/accountsPassword.js';
import { type LoginSessions, loginCookie, loginTtlSeconds } from '../auth/LoginSessions.js';
import type { LoginThrottle } from '../auth/LoginThrottle.js';
import type { AccountStore } from '../records/AccountStore.js';
import { Account } from '../records/schemas.js';
import type { RouteRegistry } from './routes.js';

export type AuthApiDeps = {
  accounts: AccountStore;
  logins: LoginSessions;
  throttle: LoginThrottle;
  /** Secure cookies when the public URL is https (known once the server listens). */
  secureCookies: () => boolean;
};

const Credentials = z.object({ username: z.string().trim().toLowerCase().min(1).max(64), password: z.string().min(1).max(200) }).strict();
const SignedIn = z.object({ account: Account });

/** Sign-in with a password, sign-out, and who am I. */
export function registerAuthApi(registry: RouteRegistry, { accounts, logins, throttle, secureCookies }: AuthApiDeps): void {
  const cookieOptions = () => ({ httpOnly: true, sameSite: 'strict', secure: secureCookies(), path: '/', signed: true }) as const;

  registry.route(
    {
      method: 'post',
      path: '/auth/login',
      auth: 'public',
      tag: 'auth',
      summary: 'Sign in; sets the session cookie',
      body: Credentials,
      response: SignedIn,
    },
    async ({ body, req, res }) => {
      const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      const account = await accounts.findByUsername(body.username);
      await throttle.check(ip, account?.id);
      // An unknown name costs the same scrypt as a wrong password, so timing does not tell them apart.
      const matches = await verifyPassword(body.password, account?.passwordHash ?? (await decoyHash()));
      if (!account || !matches) {
        await throttle.failed(ip, account?.id);
        throw new CourtLinkError('WRONG_CREDENTIALS');
      }
      if (account.disabled) throw new CourtLinkError('ACCOUNT_DISABLED');
      await throttle.succeeded(account.id);
      const sid = await logins.create(account.id);
      res.cookie(loginCookie, sid, { ...cookieOptions(), maxAge: loginTtlSeconds * 1000 });
      const { passwordHash: _hash, ...publicAccount } = account;
      return { account: publicAccount };
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/auth/logout',
      auth: 'public',
      tag: 'auth',
      summary: 'Sign out: deletes the sign-in and clears the cookie',
      status: 204,
    },
    async ({ req, res }) => {
      const sid = (req.signedCookies as Record<string, unknown> | undefined)?.[loginCookie];
      if (typeof sid === 'string') await logins.destroy(sid);
      res.clearCookie(loginCookie, cookieOptions());
      return undefined;
    },
  );

  registry.route(
    { method: 'get', path: '/auth/me', auth: 'staff', tag: 'auth', summary: 'The signed-in staff member', response: SignedIn },
    async ({ actor }) => {
      const account = await accounts.get(actor.accountId);
      // A script token has no account record; describe it from its claims.
      return {
        account: account ?? {
          id: actor.accountId,
          username: 'script',
          displayName: 'script',
          staffRole: actor.staffRole,
          orgId: actor.orgId,
          disabled: false,
          createdAt: new Date(0).toISOString(),
        },
      };
    },
  );
}
