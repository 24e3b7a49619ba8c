import { CourtLinkError, type DomainEvent } from '../../signaling/index.js';
import { maskPii } from '../log/index.js';
import type { Redis } from '../store/index.js';
import { type AuditEntry, genesisHash, seal } from './chain.js';

/** A Redis write that must land together with its audit entry. */
export type StateWrite =
  | { op: 'set'; key: string; value: string }
  | { op: 'hset'; key: string; field: string; value: string }
  | { op: 'zadd'; key: string; score: number; member: string };

const streamKey = (sessionId: string) => `cl:audit:${sessionId}`;

/**
 * Appends the entry and applies the state writes in one Lua call, so a crash
 * can never leave a change without its entry (or an entry without its change).
 * It refuses when the chain's last seq is not the one the caller built on, so
 * two writers can never fork the chain or overwrite each other's state.
 */
const appendScript = `
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local lastSeq = 0
if #last > 0 then lastSeq = tonumber(string.match(last[1][1], '^(%d+)')) end
if lastSeq ~= tonumber(ARGV[1]) then return redis.error_reply('AUDIT_CONFLICT ' .. lastSeq) end
local writes = cjson.decode(ARGV[4])
for _, w in ipairs(writes) do
  local key = KEYS[w.k + 1]
  if w.op == 'set' then redis.call('SET', key, w.v)
  elseif w.op == 'hset' then redis.call('HSET', key, w.f, w.v)
  elseif w.op == 'zadd' then redis.call('ZADD', key, w.s, w.m)
  end
end
redis.call('XADD', KEYS[1], ARGV[3] .. '-0', 'e', ARGV[2])
return ARGV[3]
`;

/** Field names whose values identify a person; the audit trail keeps only a masked form. */
const piiFields = new Set(['displayName', 'name', 'phone', 'idNumber', 'address']);

export function maskEventData(data: unknown): Record<string, unknown> {
  const mask = (value: unknown, key?: string): unknown => {
    if (key && piiFields.has(key)) return maskPii(value);
    if (Array.isArray(value)) return value.map((v) => mask(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, k)]));
    return value;
  };
  return mask(data) as Record<string, unknown>;
}

/** The head of one session's chain, as far as this node knows it, and the type of its last event. */
export type AuditHead = { seq: number; hash: string; type: string | undefined };

/** Per-session hash-chained audit log in a Redis Stream (SHA-256 over RFC 8785 canonical JSON). */
export class AuditTrail {
  private readonly heads = new Map<string, AuditHead>();

  constructor(private readonly redis: Redis) {}

  async head(sessionId: string): Promise<AuditHead> {
    const known = this.heads.get(sessionId);
    if (known) return known;
    const last = await this.redis.xRevRange(streamKey(sessionId), '+', '-', { COUNT: 1 });
    const entry = last[0] ? (JSON.parse(last[0].message.e as string) as AuditEntry) : undefined;
    const head = entry ? { seq: entry.seq, hash: entry.hash, type: entry.type } : { seq: 0, hash: genesisHash, type: undefined };
    this.heads.set(sessionId, head);
    return head;
  }

  /** Appends the event and applies `writes` atomically. Returns the sealed entry. */
  async append(event: DomainEvent, writes: readonly StateWrite[]): Promise<AuditEntry> {
    const head = await this.head(event.sessionId);
    const entry = seal({
      seq: head.seq + 1,
      at: event.at,
      sessionId: event.sessionId,
      actor: event.actor,
      type: event.type,
      data: maskEventData(event.data),
      prev: head.hash,
    });
    const keys = [streamKey(event.sessionId)];
    const encoded = writes.map((w) => {
      let index = keys.indexOf(w.key);
      if (index < 0) index = keys.push(w.key) - 1;
      if (w.op === 'set') return { op: 'set', k: index, v: w.value };
      if (w.op === 'hset') return { op: 'hset', k: index, f: w.field, v: w.value };
      return { op: 'zadd', k: index, s: w.score, m: w.member };
    });
    try {
      await this.redis.eval(appendScript, {
        keys,
        arguments: [String(head.seq), JSON.stringify(entry), String(entry.seq), JSON.stringify(encoded)],
      });
    } catch (err) {
      // Someone else moved the chain: forget our head so the next attempt starts from Redis.
      this.heads.delete(event.sessionId);
      if (String((err as Error).message).includes('AUDIT_CONFLICT'))
        throw new CourtLinkError('CONFLICT', 'The session changed elsewhere; try again.');
      throw err;
    }
    this.heads.set(event.sessionId, { seq: entry.seq, hash: entry.hash, type: entry.type });
    return entry;
  }

  /** Every entry, oldest first. */
  async entries(sessionId: string): Promise<AuditEntry[]> {
    const all: AuditEntry[] = [];
    let start = '-';
    for (;;) {
      const page = await this.redis.xRange(streamKey(sessionId), start, '+', { COUNT: 500 });
      for (const item of page) all.push(JSON.parse(item.message.e as string) as AuditEntry);
      if (page.length < 500) return all;
      start = `(${page[page.length - 1]?.id}`;
    }
  }

  /** JSON Lines, one entry per line, exactly as stored (what `courtlink verify-audit` checks). */
  async exportJsonl(sessionId: string): Promise<string> {
    return (await this.entries(sessionId)).map((entry) => `${JSON.stringify(entry)}\n`).join('');
  }

  /** Drops cached heads, e.g. after Redis was restarted under us. */
  forget(sessionId?: string): void {
    if (sessionId) this.heads.delete(sessionId);
    else this.heads.clear();
  }
}
