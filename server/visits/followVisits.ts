import type { AuditEntry, AuditTrail } from '../audit/index.js';
import type { DeadlineService } from '../deadlines/index.js';
import type { Logger } from '../log/index.js';
import type { LedgerStore } from '../records/LedgerStore.js';
import { maskName } from '../records/masking.js';
import { type SessionDirectory, visitDeadlines } from '../sessions/index.js';
import type { Intervention, VisitStore } from './VisitStore.js';

export type VisitFollowerDeps = {
  sessions: SessionDirectory;
  deadlines: DeadlineService;
  audit: AuditTrail;
  visits: VisitStore;
  ledger: LedgerStore;
  log: Logger;
};

/** Register before the deadline poller starts, so a visit that ended during a restart is ended at once, not dropped. */
export function handleVisitDeadlines({ sessions, deadlines }: Pick<VisitFollowerDeps, 'sessions' | 'deadlines'>): void {
  deadlines.on(visitDeadlines.end, async (sessionId) => {
    const session = await sessions.get(sessionId);
    await session?.end({ kind: 'system', reason: 'deadline' }, 'deadline');
  });
  deadlines.on(visitDeadlines.warn, async (key) => {
    const split = key.lastIndexOf(':');
    const session = await sessions.get(key.slice(0, split));
    await session?.visitWarning(Number(key.slice(split + 1)));
  });
}

const interventionKinds: Record<string, Intervention['kind'] | undefined> = { 'seat.removed': 'cut' };

/** Mutes, stopped videos and cuts by a person (not the system), in order, from the audit trail. */
export function interventionsOf(entries: readonly AuditEntry[], roleOf: (seatId: string) => string): Intervention[] {
  const found: Intervention[] = [];
  for (const e of entries) {
    if (e.actor.kind === 'system') continue;
    const seatId = String(e.data.seatId ?? '');
    const kind = e.type === 'host.muted' ? (e.data.source === 'camera' ? 'stop_video' : 'mute') : interventionKinds[e.type];
    if (kind) found.push({ at: e.at, kind, targetRole: roleOf(seatId) });
  }
  return found;
}

/**
 * When a visit ends: its record (who, when, how long, the officer's
 * interventions, recording ids) goes into the visit record and the ledger
 * (台账) with the outcome visit_completed. Idempotent: the ledger's first write wins.
 */
export function followVisits(deps: VisitFollowerDeps): void {
  deps.sessions.events.on('event', (event, session) => {
    if (event.type !== 'session.ended' || session.summary.type !== 'visit') return;
    void (async () => {
      const record = session.summary;
      const visit = await deps.visits.get(record.id);
      const entries = await deps.audit.entries(record.id);
      const roleOf = (seatId: string) => session.core.seats.get(seatId)?.role ?? 'unknown';
      const started = entries.find((e) => e.type === 'visit.started')?.at ?? record.startedAt ?? record.createdAt;
      const participants = session
        .seatList()
        .filter((s) => ['admitted', 'left', 'removed'].includes(s.state))
        .map((s) => ({ role: s.role, name: maskName(s.displayName) }));
      // Recording ids as the recorder reports them in its domain events, whatever their type.
      const recordingIds = [...new Set(entries.map((e) => e.data.recordingId).filter((id): id is string => typeof id === 'string'))];
      const interventions = interventionsOf(entries, roleOf);
      const durationSeconds = Math.max(0, Math.round((Date.parse(event.at) - Date.parse(started)) / 1000));
      const outcome = {
        startedAt: started,
        endedAt: event.at,
        durationSeconds,
        endReason: event.data.reason,
        participants,
        interventions,
        recordingIds,
      };
      if (visit) await deps.visits.save({ ...visit, outcome });
      if (!record.orgId) return;
      await deps.ledger.write({
        sessionId: record.id,
        orgId: record.orgId,
        type: 'visit',
        siteIds: record.siteId ? [record.siteId] : [],
        participants,
        startedAt: started,
        endedAt: event.at,
        durationSeconds,
        recordingIds,
        agreementIds: [],
        rulingIds: [],
        outcome: 'visit_completed',
        interventions,
      });
    })().catch((err: Error) => deps.log.error({ err: err.message, sessionId: session.id }, 'visit record failed'));
  });
}
