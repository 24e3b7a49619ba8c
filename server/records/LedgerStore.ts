import { CourtLinkError } from '../../signaling/index.js';
import type { StaffActor } from '../auth/staffActor.js';
import type { Redis } from '../store/index.js';
import { readJson, readJsonMany } from './redisJson.js';
import { LedgerEntry, type LedgerSource, type NewLedgerEntry, type Outcome } from './schemas.js';

const keys = {
  entry: (sessionId: string) => `cl:ledger:${sessionId}`,
  orgLedger: (orgId: string) => `cl:org:${orgId}:ledger`,
  edits: (sessionId: string) => `cl:ledger:${sessionId}:edits`,
  /** An outcome recorded before the session's line exists (a consultation's outcome, issue 12). */
  pending: (sessionId: string) => `cl:ledger:${sessionId}:pending`,
};

/** A pending outcome waits at most this long for its session to end. */
const pendingTtlSeconds = 90 * 86400;

/**
 * Writes a line unless one exists, taking in the pending change as read by the
 * caller; refuses (-1) if the pending change moved meanwhile, so an outcome
 * recorded while the line is written is never lost.
 */
const writeScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] then return -1 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[2])
return 1
`;

/**
 * Compare and set: changes the line (or, while it does not exist, the pending
 * change) only if it still holds what the caller read (-1 otherwise); appends
 * the edit when there is one.
 */
const settleScript = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return -1 end
if current == '' then
  if (redis.call('GET', KEYS[2]) or '') ~= ARGV[2] then return -1 end
  redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[5])
else
  redis.call('SET', KEYS[1], ARGV[3])
end
if ARGV[4] ~= '' then redis.call('RPUSH', KEYS[3], ARGV[4]) end
return 1
`;

export type LedgerQuery = {
  from?: string | undefined;
  to?: string | undefined;
  siteId?: string | undefined;
  type?: string | undefined;
  source?: LedgerSource | undefined;
  outcome?: Outcome | undefined;
  mediatorId?: string | undefined;
};

export type OutcomeEdit = { at: string; accountId: string; before: Outcome | null; after: Outcome };

/** What an outcome recorded elsewhere (a consultation's booking) sets on a line. */
export type LinePatch = { outcome: Outcome; referenceId?: string; mediatorId?: string };

/** Called after every outcome edit of a session's line; routes it into the session's audit trail. */
export type OutcomeEditedHook = (sessionId: string, actor: StaffActor, before: Outcome | undefined, after: Outcome) => Promise<void> | void;

/** 台账: one line per service (a finished session, or a service given without one), written once, searchable per organisation. */
export class LedgerStore {
  constructor(
    private readonly redis: Redis,
    private readonly onOutcomeEdited: OutcomeEditedHook = () => {},
  ) {}

  /**
   * Idempotent per key: the first write wins; a repeat returns the stored line
   * unchanged, so a replayed "session ended" event or a repeated request cannot
   * double-count. An outcome recorded before the line existed is taken in.
   */
  async write(input: NewLedgerEntry): Promise<{ entry: LedgerEntry; created: boolean }> {
    for (;;) {
      const pendingRaw = (await this.redis.get(keys.pending(input.sessionId))) ?? '';
      const pending = pendingRaw ? (JSON.parse(pendingRaw) as LinePatch) : {};
      const entry = LedgerEntry.parse({ ...input, ...pending, writtenAt: new Date().toISOString() });
      const verdict = Number(
        await this.redis.eval(writeScript, {
          keys: [keys.entry(entry.sessionId), keys.pending(entry.sessionId)],
          arguments: [pendingRaw, JSON.stringify(entry)],
        }),
      );
      if (verdict < 0) continue;
      const created = verdict === 1;
      const stored = created ? entry : ((await this.get(entry.sessionId)) as LedgerEntry);
      // Also on a repeat: repairs the index if a crash fell between the two writes.
      await this.redis.zAdd(keys.orgLedger(stored.orgId), { score: Date.parse(stored.startedAt), value: stored.sessionId });
      return { entry: stored, created };
    }
  }

  async get(sessionId: string): Promise<LedgerEntry | undefined> {
    return readJson(this.redis, keys.entry(sessionId), LedgerEntry);
  }

  async search(orgIds: Iterable<string>, query: LedgerQuery): Promise<LedgerEntry[]> {
    const min = query.from ? Date.parse(query.from) : '-inf';
    const max = query.to ? Date.parse(query.to) : '+inf';
    const ids = (await Promise.all([...orgIds].map((o) => this.redis.zRangeByScore(keys.orgLedger(o), min, max)))).flat();
    return (await readJsonMany(this.redis, ids.map(keys.entry), LedgerEntry))
      .filter(
        (e) =>
          (!query.siteId || e.siteIds.includes(query.siteId)) &&
          (!query.type || e.type === query.type) &&
          (!query.source || e.source === query.source) &&
          (!query.outcome || e.outcome === query.outcome) &&
          (!query.mediatorId || e.mediatorId === query.mediatorId),
      )
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  /** Sets or corrects the outcome of an existing line; every edit is kept with its before and after. */
  async setOutcome(sessionId: string, actor: StaffActor, outcome: Outcome): Promise<LedgerEntry> {
    const { entry } = await this.settle(sessionId, actor, { outcome }, { whenAbsent: 'refuse' });
    return entry as LedgerEntry;
  }

  /**
   * Records an outcome decided outside the session (issue 12: the lawyer marks a
   * consultation completed or a no-show). If the line exists it is changed; if
   * the session has not ended yet, the change waits and its line is written
   * with it. Either order gives the same line, and a repeat changes nothing.
   */
  async settle(
    sessionId: string,
    actor: StaffActor,
    patch: LinePatch,
    options: { whenAbsent: 'pend' | 'refuse' } = { whenAbsent: 'pend' },
  ): Promise<{ entry?: LedgerEntry; pending: boolean }> {
    for (;;) {
      const [entryRaw, pendingRaw] = await this.redis.mGet([keys.entry(sessionId), keys.pending(sessionId)]);
      if (!entryRaw && options.whenAbsent === 'refuse') throw new CourtLinkError('NOT_FOUND', 'No such ledger entry.');
      const current = entryRaw ? LedgerEntry.parse(JSON.parse(entryRaw)) : undefined;
      const pending = pendingRaw ? (JSON.parse(pendingRaw) as LinePatch) : undefined;
      const before = current ? current.outcome : pending?.outcome;
      const next = current ? LedgerEntry.parse({ ...current, ...patch }) : { ...pending, ...patch };
      const nextRaw = JSON.stringify(next);
      if (nextRaw === (entryRaw ?? pendingRaw)) return { ...(current ? { entry: current } : {}), pending: !current };
      const changed = before !== patch.outcome;
      const edit: OutcomeEdit = { at: new Date().toISOString(), accountId: actor.accountId, before: before ?? null, after: patch.outcome };
      const verdict = Number(
        await this.redis.eval(settleScript, {
          keys: [keys.entry(sessionId), keys.pending(sessionId), keys.edits(sessionId)],
          arguments: [entryRaw ?? '', pendingRaw ?? '', nextRaw, changed ? JSON.stringify(edit) : '', String(pendingTtlSeconds)],
        }),
      );
      if (verdict < 0) continue;
      // Only an ended session's chain takes the edit: a live session's chain is written by its own core
      // (a second writer would race it), and a line without a session has no chain. The edit list keeps it either way.
      if (changed && current?.source === 'session') await this.onOutcomeEdited(sessionId, actor, before, patch.outcome);
      return current ? { entry: next as LedgerEntry, pending: false } : { pending: true };
    }
  }

  async edits(sessionId: string): Promise<OutcomeEdit[]> {
    return (await this.redis.lRange(keys.edits(sessionId), 0, -1)).map((raw) => JSON.parse(raw) as OutcomeEdit);
  }
}
