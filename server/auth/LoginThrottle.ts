import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { CourtLinkError } from '../../signaling/index.js';
import type { Redis } from '../store/index.js';

export type LoginThrottleOptions = {
  /** Failed sign-ins one IP address may make per hour before it is refused (429). */
  failuresPerIp: number;
  /** Consecutive failed sign-ins after which an account is locked (423) for lockMinutes. */
  failuresPerAccount: number;
  lockMinutes: number;
};

export const defaultLoginThrottle: LoginThrottleOptions = { failuresPerIp: 50, failuresPerAccount: 5, lockMinutes: 15 };

/**
 * Brute-force protection for the sign-in form, on rate-limiter-flexible's Redis
 * limiter (its documented "login endpoint protection" recipe) so the counts are
 * shared between server processes and survive a restart. Only failures count;
 * a successful sign-in clears the account's count. The account limiter is the
 * account lock: it stays locked for lockMinutes, or until an administrator re-enables it.
 */
export class LoginThrottle {
  private readonly byIp: RateLimiterRedis;
  private readonly byAccount: RateLimiterRedis;

  constructor(
    redis: Redis,
    private readonly options: LoginThrottleOptions = defaultLoginThrottle,
  ) {
    this.byIp = new RateLimiterRedis({
      storeClient: redis,
      useRedisPackage: true,
      keyPrefix: 'cl:login-fail:ip',
      points: options.failuresPerIp,
      duration: 3600,
      blockDuration: 3600,
    });
    this.byAccount = new RateLimiterRedis({
      storeClient: redis,
      useRedisPackage: true,
      keyPrefix: 'cl:login-fail:account',
      points: options.failuresPerAccount,
      duration: options.lockMinutes * 60,
      blockDuration: options.lockMinutes * 60,
    });
  }

  /** Throws RATE_LIMITED or ACCOUNT_LOCKED before the password is even checked. */
  async check(ip: string, accountId: string | undefined): Promise<void> {
    const [ipState, accountState] = await Promise.all([this.byIp.get(ip), accountId ? this.byAccount.get(accountId) : null]);
    if (ipState && ipState.consumedPoints >= this.options.failuresPerIp) throw new CourtLinkError('RATE_LIMITED');
    if (accountState && accountState.consumedPoints >= this.options.failuresPerAccount) throw new CourtLinkError('ACCOUNT_LOCKED');
  }

  async failed(ip: string, accountId: string | undefined): Promise<void> {
    const consume = (limiter: RateLimiterRedis, key: string) =>
      limiter.consume(key).catch((err: unknown) => {
        // A rejection with RateLimiterRes only means the limit is now reached; anything else is a Redis fault.
        if (!(err instanceof RateLimiterRes)) throw err;
      });
    await Promise.all([consume(this.byIp, ip), accountId ? consume(this.byAccount, accountId) : undefined]);
  }

  async succeeded(accountId: string): Promise<void> {
    await this.byAccount.delete(accountId);
  }

  /** An administrator re-enabling an account also lifts its lock. */
  async unlock(accountId: string): Promise<void> {
    await this.byAccount.delete(accountId);
  }
}
