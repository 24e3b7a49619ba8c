import type { StaffActor } from '../auth/staffActor.js';
import type { LedgerStore, LinePatch } from '../records/LedgerStore.js';
import { maskName } from '../records/masking.js';
import type { Outcome } from '../records/schemas.js';
import type { Booking, Slot } from './AppointmentBook.js';

export type ConsultationStatus = 'completed' | 'no_show';

const outcomeOf: Record<ConsultationStatus, Outcome> = { completed: 'consultation_completed', no_show: 'no_show' };

/** The key of a consultation's own line (held without a video session): from the booking's id, never its code. */
export const consultationLineKey = (bookingId: string) => `bk_${bookingId}`;

/**
 * A consultation's outcome feeds the ledger (台账, issue 12). If the lawyer
 * started a video session for the booking, the session's line carries it,
 * whether the session has ended yet or not (LedgerStore.settle). Otherwise the
 * consultation gets a line of its own: at the slot's site and time, with no
 * duration, as nothing was timed. Recording the same outcome again changes
 * nothing; a different one corrects the line, kept as an edit.
 */
export async function recordConsultationOutcome(
  ledger: LedgerStore,
  actor: StaffActor,
  slot: Slot,
  booking: Booking & { id: string },
  status: ConsultationStatus,
): Promise<void> {
  const outcome = outcomeOf[status];
  const patch: LinePatch = { outcome, referenceId: booking.id, mediatorId: slot.lawyerAccountId };
  if (booking.sessionId) {
    await ledger.settle(booking.sessionId, actor, patch);
    return;
  }
  const key = consultationLineKey(booking.id);
  const { entry, created } = await ledger.write({
    sessionId: key,
    orgId: slot.orgId,
    type: 'consultation',
    source: 'consultation',
    ...patch,
    siteIds: slot.siteId ? [slot.siteId] : [],
    participants: [
      { role: 'counsel', name: maskName(slot.lawyerName) },
      { role: 'party', name: maskName(booking.name) },
    ],
    startedAt: slot.startsAt,
    endedAt: slot.startsAt,
    durationSeconds: 0,
    recordingIds: [],
    agreementIds: [],
    rulingIds: [],
  });
  if (!created && entry.outcome !== outcome) await ledger.settle(key, actor, patch, { whenAbsent: 'refuse' });
}
