import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from '../store/index.js';

/** The cookie's fixed name; its value is a random id signed by cookie-parser (HMAC-SHA256). */
export const loginCookie = 'courtlink_session';
export const loginTtlSeconds = 8 * 3600;

const keys = {
  login: (sid: string) => `cl:login:${sid}`,
  accountLogins: (accountId: string) => `cl:account:${accountId}:logins`,
};

/**
 * The cookie signing key, derived from the server secret (JWT_SECRET or
 * DATA_DIR/secrets/jwt.key) with a fixed label, so it needs no new file or
 * variable and is still never the same key as the one that signs JWTs.
 */
export function cookieSigningKey(serverSecret: string): string {
  return createHmac('sha256', serverSecret).update('courtlink login cookie v1').digest('base64url');
}

/**
 * Sign-ins as Redis keys with an expiry: logout deletes the key, disabling an
 * account deletes all of its keys, and an expired key is an expired sign-in.
 */
export class LoginSessions {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds = loginTtlSeconds,
  ) {}

  async create(accountId: string): Promise<string> {
    const sid = randomBytes(32).toString('base64url');
    await this.redis
      .multi()
      .set(keys.login(sid), accountId, { EX: this.ttlSeconds })
      .sAdd(keys.accountLogins(accountId), sid)
      .expire(keys.accountLogins(accountId), this.ttlSeconds)
      .exec();
    return sid;
  }

  async accountOf(sid: string): Promise<string | undefined> {
    return (await this.redis.get(keys.login(sid))) ?? undefined;
  }

  async destroy(sid: string): Promise<void> {
    const accountId = await this.redis.get(keys.login(sid));
    const tx = this.redis.multi().del(keys.login(sid));
    if (accountId) tx.sRem(keys.accountLogins(accountId), sid);
    await tx.exec();
  }

  async destroyAll(accountId: string): Promise<void> {
    const sids = await this.redis.sMembers(keys.accountLogins(accountId));
    await this.redis.del([keys.accountLogins(accountId), ...sids.map(keys.login)]);
  }

  /** For tests and tools: the Redis key of a sign-in. */
  static key(sid: string): string {
    return keys.login(sid);
  }
}
