import type { Logger } from '../log/index.js';
import type { SessionDirectory } from '../sessions/index.js';
import type { SessionEnded } from './ledgerWriter.js';

/**
 * The ledger (台账) follows the domain events: when a session of an
 * organisation ends, its entry is written from the session's record and seats.
 * The write is idempotent per session, so a repeat changes nothing.
 */
export function followEndedSessions(
  sessions: SessionDirectory,
  ledger: { sessionEnded(ended: SessionEnded): Promise<unknown> },
  log: Logger,
): void {
  sessions.events.on('event', (event, session) => {
    if (event.type !== 'session.ended') return;
    const record = session.summary;
    // A visit's entry carries its interventions and outcome: server/visits/followVisits.ts writes it.
    if (!record.orgId || record.type === 'visit') return;
    const seats = session.seatList().filter((s) => ['admitted', 'left', 'removed'].includes(s.state));
    const startedAt = record.startedAt ?? record.scheduledAt ?? record.createdAt;
    ledger.sessionEnded({ session: record, seats, startedAt, endedAt: event.at }).catch((err: Error) => {
      // The session has ended either way; the entry can be written again later.
      log.error({ err: err.message, sessionId: record.id }, 'ledger entry for an ended session failed');
    });
  });
}
