import type { Logger } from '../log/index.js';
import { type SessionRecord, SessionStore } from '../sessions/index.js';
import type { Redis } from '../store/index.js';
import type { SessionEnded } from './ledgerWriter.js';

const startedKey = (id: string) => `cl:session:${id}:started-at`;

/**
 * Phase-1 bridge until the session core emits domain events: watches the
 * session record's status as it is saved, notes when a session goes live, and
 * hands the ledger the finished session when it ends. Phase 2 replaces this
 * with a subscription to the "session ended" event (one call: writeLedgerEntry).
 */
export class LedgerSessionStore extends SessionStore {
  constructor(
    private readonly client: Redis,
    private readonly onEnded: (ended: SessionEnded) => Promise<unknown>,
    private readonly log: Logger,
  ) {
    super(client);
  }

  override async saveSession(record: SessionRecord): Promise<void> {
    const before = record.orgId ? await this.getSession(record.id) : undefined;
    await super.saveSession(record);
    if (!record.orgId || !before || before.status === record.status) return;
    if (record.status === 'live') await this.client.set(startedKey(record.id), new Date().toISOString(), { NX: true });
    if (record.status !== 'ended') return;
    try {
      const seats = [...(await this.getSeats(record.id)).values()].filter((s) => ['admitted', 'left', 'removed'].includes(s.state));
      const startedAt = (await this.client.get(startedKey(record.id))) ?? record.scheduledAt ?? record.createdAt;
      await this.onEnded({ session: record, seats, startedAt, endedAt: new Date().toISOString() });
    } catch (err) {
      // The session has ended either way; a missing ledger line can be written again (the write is idempotent).
      this.log.error({ err: (err as Error).message, sessionId: record.id }, 'ledger entry for an ended session failed');
    }
  }
}
