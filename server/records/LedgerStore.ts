import { CourtLinkError } from '../../signaling/index.js';
import type { StaffActor } from '../auth/staffActor.js';
import type { Redis } from '../store/index.js';
import { readJson, readJsonMany } from './redisJson.js';
import { LedgerEntry, type Outcome } from './schemas.js';

const keys = {
  entry: (sessionId: string) => `cl:ledger:${sessionId}`,
  orgLedger: (orgId: string) => `cl:org:${orgId}:ledger`,
  edits: (sessionId: string) => `cl:ledger:${sessionId}:edits`,
};

export type LedgerQuery = {
  from?: string | undefined;
  to?: string | undefined;
  siteId?: string | undefined;
  type?: string | undefined;
  outcome?: Outcome | undefined;
  mediatorId?: string | undefined;
};

export type OutcomeEdit = { at: string; accountId: string; before: Outcome | null; after: Outcome };

/** Called after every outcome edit; phase 2 routes it into the session's audit trail. */
export type OutcomeEditedHook = (sessionId: string, actor: StaffActor, before: Outcome | undefined, after: Outcome) => Promise<void> | void;

/** 台账: one entry per finished session, written once, searchable per organisation. */
export class LedgerStore {
  constructor(
    private readonly redis: Redis,
    private readonly onOutcomeEdited: OutcomeEditedHook = () => {},
  ) {}

  /**
   * Idempotent per session: the first write wins (SET NX); a repeat returns the
   * stored entry unchanged, so a replayed "session ended" event cannot double-count.
   */
  async write(input: Omit<LedgerEntry, 'writtenAt'>): Promise<{ entry: LedgerEntry; created: boolean }> {
    const entry = LedgerEntry.parse({ ...input, writtenAt: new Date().toISOString() });
    const created = (await this.redis.set(keys.entry(entry.sessionId), JSON.stringify(entry), { NX: true })) === 'OK';
    const stored = created ? entry : ((await this.get(entry.sessionId)) as LedgerEntry);
    // Also on a repeat: repairs the index if a crash fell between the two writes.
    await this.redis.zAdd(keys.orgLedger(stored.orgId), { score: Date.parse(stored.startedAt), value: stored.sessionId });
    return { entry: stored, created };
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
          (!query.outcome || e.outcome === query.outcome) &&
          (!query.mediatorId || e.mediatorId === query.mediatorId),
      )
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  /** Sets or corrects the outcome; every edit is kept with its before and after. */
  async setOutcome(sessionId: string, actor: StaffActor, outcome: Outcome): Promise<LedgerEntry> {
    const entry = await this.get(sessionId);
    if (!entry) throw new CourtLinkError('NOT_FOUND', 'No such ledger entry.');
    if (entry.outcome === outcome) return entry;
    const next = { ...entry, outcome };
    const edit: OutcomeEdit = { at: new Date().toISOString(), accountId: actor.accountId, before: entry.outcome ?? null, after: outcome };
    await this.redis.multi().set(keys.entry(sessionId), JSON.stringify(next)).rPush(keys.edits(sessionId), JSON.stringify(edit)).exec();
    await this.onOutcomeEdited(sessionId, actor, entry.outcome, outcome);
    return next;
  }

  async edits(sessionId: string): Promise<OutcomeEdit[]> {
    return (await this.redis.lRange(keys.edits(sessionId), 0, -1)).map((raw) => JSON.parse(raw) as OutcomeEdit);
  }
}
