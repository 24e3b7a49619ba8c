import type { Logger } from '../log/index.js';
import type { Redis } from '../store/index.js';

const dueKey = 'cl:deadlines';
const claimedKey = 'cl:deadlines:claimed';

/**
 * Moves due deadlines to the claimed set under a lease, atomically, so only one
 * poller (on any node) takes each. A claim whose lease ran out (the node died
 * while handling it) goes back to due and fires again; handlers are idempotent.
 */
const claimScript = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, 50)
for _, m in ipairs(expired) do
  redis.call('ZREM', KEYS[2], m)
  redis.call('ZADD', KEYS[1], ARGV[1], m)
end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, m in ipairs(due) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('ZADD', KEYS[2], ARGV[2], m)
end
return due
`;

export type DeadlineHandler = (key: string) => Promise<void>;

/**
 * Persisted deadlines: a sorted set in Redis (score = due time) and a poller.
 * Each deadline fires exactly once per schedule, even across a restart or a
 * crash: it is claimed atomically, and removed only after its handler ran.
 * Used for the reconnect grace period, and for visit end times.
 */
export class DeadlineService {
  private readonly handlers = new Map<string, DeadlineHandler>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    private readonly options: { pollMs?: number; leaseMs?: number } = {},
  ) {}

  /** One handler per kind of deadline, e.g. 'grace' or 'visit-end'. */
  on(kind: string, handler: DeadlineHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Schedules (or moves) the deadline `kind` for `key` to `dueAt` (epoch ms). */
  async schedule(kind: string, key: string, dueAt: number): Promise<void> {
    const member = `${kind}|${key}`;
    await this.redis.multi().zRem(claimedKey, member).zAdd(dueKey, { score: dueAt, value: member }).exec();
  }

  /** Schedules only if none is pending for this key (keeps an earlier time). */
  async scheduleIfAbsent(kind: string, key: string, dueAt: number): Promise<void> {
    await this.redis.zAdd(dueKey, { score: dueAt, value: `${kind}|${key}` }, { condition: 'NX' });
  }

  async cancel(kind: string, key: string): Promise<void> {
    const member = `${kind}|${key}`;
    await this.redis.multi().zRem(dueKey, member).zRem(claimedKey, member).exec();
  }

  async pending(kind: string, key: string): Promise<number | undefined> {
    const score = await this.redis.zScore(dueKey, `${kind}|${key}`);
    return score ?? undefined;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.polling)
        this.polling = this.poll()
          .then(() => undefined)
          .finally(() => (this.polling = undefined));
    }, this.options.pollMs ?? 250);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  /** Fires everything due now. Exposed for tests and for a prompt first poll at start-up. */
  async poll(): Promise<number> {
    if (!this.redis.isReady) return 0;
    const now = Date.now();
    let claimed: string[];
    try {
      claimed = (await this.redis.eval(claimScript, {
        keys: [dueKey, claimedKey],
        arguments: [String(now), String(now + (this.options.leaseMs ?? 30_000)), '100'],
      })) as string[];
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'deadline poll failed');
      return 0;
    }
    for (const member of claimed) {
      const split = member.indexOf('|');
      const kind = member.slice(0, split);
      const key = member.slice(split + 1);
      const handler = this.handlers.get(kind);
      try {
        if (handler) await handler(key);
        else this.log.warn({ kind }, 'deadline of unknown kind dropped');
        await this.redis.zRem(claimedKey, member);
      } catch (err) {
        // Left claimed: the lease runs out and it fires again.
        this.log.warn({ kind, err: (err as Error).message }, 'deadline handler failed; will retry');
      }
    }
    return claimed.length;
  }
}
