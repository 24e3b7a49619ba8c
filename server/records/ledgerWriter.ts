import type { SessionSummary } from '../../signaling/index.js';
import type { CaseStore } from './CaseStore.js';
import type { LedgerStore } from './LedgerStore.js';
import { maskName } from './masking.js';
import type { LedgerEntry, Outcome } from './schemas.js';

export type SessionEnded = {
  session: SessionSummary;
  seats: readonly { role: string; displayName: string }[];
  startedAt: string;
  endedAt: string;
  recordingIds?: string[];
  agreementIds?: string[];
  rulingIds?: string[];
  outcome?: Outcome;
};

/**
 * Writes the ledger line of a finished session: the one call phase 2 makes
 * from the session's "ended" domain event. Idempotent per session. Sessions
 * not scheduled from the back office (no orgId) have no ledger line.
 */
export async function writeLedgerEntry(
  deps: { ledger: LedgerStore; cases: CaseStore },
  ended: SessionEnded,
): Promise<LedgerEntry | undefined> {
  const { session } = ended;
  if (!session.orgId) return undefined;
  const record = session.caseId ? await deps.cases.get(session.caseId) : undefined;
  const durationSeconds = Math.max(0, Math.round((Date.parse(ended.endedAt) - Date.parse(ended.startedAt)) / 1000));
  const { entry } = await deps.ledger.write({
    sessionId: session.id,
    orgId: session.orgId,
    type: session.type,
    ...(record ? { caseId: record.id, caseNumber: record.caseNumber, mediatorId: record.mediatorId } : {}),
    siteIds: session.siteId ? [session.siteId] : record ? [record.siteId] : [],
    participants: ended.seats.map((s) => ({ role: s.role, name: maskName(s.displayName) })),
    startedAt: ended.startedAt,
    endedAt: ended.endedAt,
    durationSeconds,
    recordingIds: ended.recordingIds ?? [],
    agreementIds: ended.agreementIds ?? [],
    rulingIds: ended.rulingIds ?? [],
    ...(ended.outcome ? { outcome: ended.outcome } : {}),
  });
  return entry;
}
