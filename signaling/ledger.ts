import { z } from 'zod';
import { sessionTypes } from './roles.js';

/**
 * 台账 vocabulary, shared by the server (which validates every line against it)
 * and the back office (whose filters and outcome choices it fills): what a
 * line records and how it ended.
 */

/** Outcomes staff set on a session's line. */
const sessionOutcomes = ['agreement_reached', 'no_agreement', 'adjourned', 'confirmed', 'visit_completed'] as const;
/** A consultation by appointment was held, or the citizen did not come. */
const consultationOutcomes = ['consultation_completed', 'no_show'] as const;

export const outcomes = [
  ...sessionOutcomes,
  ...consultationOutcomes,
  // Decisions on 12348 work orders and legal-aid applications (issue 12).
  /** A work order closed with an answer given to the caller. */
  'answered',
  /** A work order turned into a mediation case. */
  'case_opened',
  /** A work order turned into a consultation booking. */
  'consultation_booked',
  'aid_granted',
  'aid_refused',
] as const;
export const Outcome = z.enum(outcomes);
export type Outcome = z.infer<typeof Outcome>;
/**
 * Outcomes that count as a success in the statistics (统计考核): the service
 * the person came for was delivered. A mediation succeeds with an agreement
 * (confirmed or not), a visit or consultation when it took place, a 12348 work
 * order when it was resolved (answered, or passed on as a case or a booking:
 * the hotline's measure is orders handled), legal aid when it was granted.
 * A no-show and a refused application are decided but not successes: nothing
 * was delivered, and the success rate should show it.
 */
export const successfulOutcomes: ReadonlySet<Outcome> = new Set([
  'agreement_reached',
  'confirmed',
  'visit_completed',
  'consultation_completed',
  'answered',
  'case_opened',
  'consultation_booked',
  'aid_granted',
]);

/** Where a ledger line comes from (issue 12): a finished video session, or a service given without one. */
export const ledgerSources = ['session', 'consultation', 'work_order', 'legal_aid'] as const;
export const LedgerSource = z.enum(ledgerSources);
export type LedgerSource = z.infer<typeof LedgerSource>;
/** The line's type: a session's type, or the service a line without a session records. */
export const ledgerTypes = [...sessionTypes, 'work_order', 'legal_aid'] as const;
export const LedgerType = z.enum(ledgerTypes);
export type LedgerType = z.infer<typeof LedgerType>;

/**
 * Which outcomes staff may set on a line by hand (PATCH /ledger/:id). A work
 * order's or an application's outcome is its decision, made in its own
 * workflow, so those lines take none; a consultation was held or not.
 */
export function editableOutcomes(entry: { source?: string | undefined; type: string }): readonly Outcome[] {
  if (entry.source === 'work_order' || entry.source === 'legal_aid') return [];
  return entry.type === 'consultation' ? consultationOutcomes : sessionOutcomes;
}
