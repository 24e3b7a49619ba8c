import type { AuditTrail } from '../audit/index.js';
import type { Logger } from '../log/index.js';
import type { SessionDirectory } from '../sessions/index.js';
import type { OutcomeEditedHook } from './LedgerStore.js';
import type { SessionEnded } from './ledgerWriter.js';

/** Every outcome edit goes into the session's hash-chained audit trail, with the value before and after. */
export function auditOutcomeEdits(audit: AuditTrail): OutcomeEditedHook {
  return async (sessionId, actor, before, after) => {
    await audit.append(
      {
        type: 'ledger.outcomeEdited',
        sessionId,
        at: new Date().toISOString(),
        actor: { kind: 'staff', accountId: actor.accountId, staffRole: actor.staffRole },
        data: { ...(before ? { before } : {}), after },
      },
      [],
    );
  };
}

/** What the session's own audit trail says it produced: recordings, the agreement, the ruling, and so the outcome. */
export async function producedBy(
  audit: AuditTrail,
  sessionId: string,
): Promise<Pick<SessionEnded, 'recordingIds' | 'agreementIds' | 'rulingIds' | 'outcome'>> {
  const entries = await audit.entries(sessionId);
  const ids = (type: string, field: string) => [
    ...new Set(
      entries
        .filter((e) => e.type === type)
        .map((e) => e.data[field])
        .filter((v): v is string => typeof v === 'string'),
    ),
  ];
  const recordingIds = ids('recording.started', 'recordingId');
  const agreementIds = ids('agreement.finalized', 'documentId');
  const rulingIds = ids('court.decided', 'documentId');
  const confirmed = entries.some((e) => e.type === 'court.decided' && e.data.confirmed === true);
  const outcome = confirmed ? 'confirmed' : agreementIds.length > 0 ? 'agreement_reached' : undefined;
  return { recordingIds, agreementIds, rulingIds, ...(outcome ? { outcome } : {}) };
}

/**
 * The ledger (台账) follows the domain events: when a session of an
 * organisation ends, its entry is written from the session's record, its seats
 * and what its audit trail says it produced (recordings, agreement, ruling).
 * The write is idempotent per session, so a repeat changes nothing.
 */
export function followEndedSessions(
  sessions: SessionDirectory,
  ledger: { sessionEnded(ended: SessionEnded): Promise<unknown> },
  audit: AuditTrail,
  log: Logger,
): void {
  sessions.events.on('event', (event, session) => {
    if (event.type !== 'session.ended') return;
    const record = session.summary;
    // A visit's entry carries its interventions and outcome: server/visits/followVisits.ts writes it.
    if (!record.orgId || record.type === 'visit') return;
    const seats = session.seatList().filter((s) => ['admitted', 'left', 'removed'].includes(s.state));
    const startedAt = record.startedAt ?? record.scheduledAt ?? record.createdAt;
    producedBy(audit, record.id)
      .then((produced) => ledger.sessionEnded({ session: record, seats, startedAt, endedAt: event.at, ...produced }))
      .catch((err: Error) => {
        // The session has ended either way; the entry can be written again later.
        log.error({ err: err.message, sessionId: record.id }, 'ledger entry for an ended session failed');
      });
  });
}
