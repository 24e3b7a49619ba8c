import { CourtLinkError } from '../../signaling/index.js';
import type { Redis } from '../store/index.js';
import { recordId } from './ids.js';
import { readJson, readJsonMany } from './redisJson.js';
import { CaseRecord, type NewCase } from './schemas.js';

const keys = {
  case: (id: string) => `cl:case:${id}`,
  orgCases: (orgId: string) => `cl:org:${orgId}:cases`,
  /** The natural key: a case number is unique within its organisation. */
  caseNumbers: (orgId: string) => `cl:org:${orgId}:case-numbers`,
  /** Scheduled sessions by start time, for the dashboard: per owning organisation and per granted account or organisation. */
  schedule: (ownerId: string) => `cl:schedule:${ownerId}`,
};

export class CaseStore {
  constructor(private readonly redis: Redis) {}

  /** A second submit of the same case number (a double click, a retry) is refused with CONFLICT and writes nothing. */
  async create(orgId: string, input: NewCase, createdBy: string): Promise<CaseRecord> {
    const record = CaseRecord.parse({ ...input, id: recordId(), orgId, sessionIds: [], createdAt: new Date().toISOString(), createdBy });
    const claimed = await this.redis.hSetNX(keys.caseNumbers(orgId), record.caseNumber, record.id);
    if (!claimed) throw new CourtLinkError('CONFLICT', 'A case with this number already exists.');
    await this.redis
      .multi()
      .set(keys.case(record.id), JSON.stringify(record))
      .zAdd(keys.orgCases(orgId), { score: Date.parse(record.createdAt), value: record.id })
      .exec();
    return record;
  }

  async get(id: string): Promise<CaseRecord | undefined> {
    return readJson(this.redis, keys.case(id), CaseRecord);
  }

  async list(orgIds: Iterable<string>, limit = 200): Promise<CaseRecord[]> {
    const ids = (await Promise.all([...orgIds].map((o) => this.redis.zRange(keys.orgCases(o), 0, limit - 1, { REV: true })))).flat();
    return (await readJsonMany(this.redis, ids.map(keys.case), CaseRecord))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit);
  }

  /** grantedIds: accounts or organisations outside the case's own that may see this session. */
  async addSession(record: CaseRecord, sessionId: string, scheduledAt: string, grantedIds: readonly string[] = []): Promise<CaseRecord> {
    const next = { ...record, sessionIds: [...record.sessionIds, sessionId] };
    const tx = this.redis.multi().set(keys.case(record.id), JSON.stringify(next));
    for (const owner of [record.orgId, ...grantedIds]) tx.zAdd(keys.schedule(owner), { score: Date.parse(scheduledAt), value: sessionId });
    await tx.exec();
    return next;
  }

  /** Session ids scheduled from `from` (epoch ms) on for any of the owners, earliest first, each once. */
  async scheduled(ownerIds: Iterable<string>, from: number, limit = 100): Promise<string[]> {
    const lists = await Promise.all(
      [...ownerIds].map((o) =>
        this.redis.zRangeWithScores(keys.schedule(o), from, '+inf', { BY: 'SCORE', LIMIT: { offset: 0, count: limit } }),
      ),
    );
    const ordered = lists.flat().sort((a, b) => a.score - b.score);
    return [...new Set(ordered.map((e) => e.value))].slice(0, limit);
  }
}
