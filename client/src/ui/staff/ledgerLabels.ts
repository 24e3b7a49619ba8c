import type { LedgerEntry } from './staffApi.js';

/**
 * The ledger's types and outcomes as the back office shows them (issue 12: the
 * ledger holds consultations, 12348 work orders and legal aid as well as
 * sessions). The server (server/records/schemas.ts) is the source of truth and
 * refuses anything else; these lists only decide what the forms offer.
 */
export const ledgerTypes = ['mediation', 'visit', 'hearing', 'consultation', 'work_order', 'legal_aid'] as const;

const sessionOutcomes = ['agreement_reached', 'no_agreement', 'adjourned', 'confirmed', 'visit_completed'] as const;
const consultationOutcomes = ['consultation_completed', 'no_show'] as const;
export const ledgerOutcomes = [
  ...sessionOutcomes,
  ...consultationOutcomes,
  'answered',
  'case_opened',
  'consultation_booked',
  'aid_granted',
  'aid_refused',
] as const;

/** A ledger line with the fields issue 12 added. */
export type LedgerLine = LedgerEntry & { source?: string; referenceId?: string };

/** The outcomes staff may set by hand on a line: none for a work order or an application (their decision is the outcome). */
export function editableOutcomes(line: LedgerLine): readonly string[] {
  if (line.source === 'work_order' || line.source === 'legal_aid') return [];
  return line.type === 'consultation' ? consultationOutcomes : sessionOutcomes;
}

/** i18n keys, tried in order: the issue-12 labels first, then the back office's own. */
export const outcomeKeys = (outcome: string) => [`ledgerSources.outcome.${outcome}`, `office.outcome.${outcome}`];
export const typeKeys = (type: string) => [`ledgerSources.type.${type}`, `staff.type.${type}`];
