import { CourtLinkError } from '../../signaling/index.js';
import type { LedgerStore } from '../records/LedgerStore.js';
import { maskName } from '../records/masking.js';
import type { NewLedgerEntry, Outcome } from '../records/schemas.js';
import type { LegalAidApplication } from './LegalAid.js';
import type { WorkOrder } from './WorkOrders.js';

/**
 * Ledger lines (台账, issue 12) of the intake desks: one per resolved 12348
 * work order, one per decided legal-aid application. Each is built from the
 * stored record alone, under a key made from the record's id, so writing it
 * again (a repeated request, or a repair after a crash between the decision and
 * the line) finds the first line and never counts twice. Lines are masked:
 * a person appears by their role and a masked name only.
 */

const workOrderOutcomes: Record<WorkOrder['status'], Outcome | undefined> = {
  new: undefined,
  case: 'case_opened',
  booking: 'consultation_booked',
  answered: 'answered',
};

const noSession = { durationSeconds: 0, recordingIds: [], agreementIds: [], rulingIds: [] };

/** The line of a resolved work order, for the organisation that resolved it; none for an open one or one resolved before lines existed. */
export function workOrderLine(order: WorkOrder): NewLedgerEntry | undefined {
  const outcome = workOrderOutcomes[order.status];
  const done = order.resolution;
  if (!outcome || !done) return undefined;
  return {
    sessionId: `wo_${order.id}`,
    orgId: done.orgId,
    type: 'work_order',
    source: 'work_order',
    referenceId: order.id,
    ...(order.status === 'case' && order.resultRef ? { caseId: order.resultRef } : {}),
    ...(done.caseNumber ? { caseNumber: done.caseNumber } : {}),
    siteIds: done.siteId ? [done.siteId] : [],
    participants: [{ role: 'caller', name: maskName(order.caller.name) }],
    startedAt: done.at,
    endedAt: done.at,
    ...noSession,
    outcome,
    mediatorId: done.by,
  };
}

/** The line of a decided legal-aid application: granted (a case was opened) or refused. The reason stays out: it may name people. */
export function legalAidLine(application: LegalAidApplication): NewLedgerEntry | undefined {
  const { id, decision } = application;
  if (!id || !decision || application.status === 'submitted') return undefined;
  return {
    sessionId: `la_${id}`,
    orgId: decision.orgId,
    type: 'legal_aid',
    source: 'legal_aid',
    referenceId: id,
    ...(application.caseId ? { caseId: application.caseId } : {}),
    ...(decision.caseNumber ? { caseNumber: decision.caseNumber } : {}),
    siteIds: [application.siteId],
    participants: [{ role: 'applicant', name: maskName(application.applicant.name) }],
    startedAt: decision.at,
    endedAt: decision.at,
    ...noSession,
    outcome: application.status === 'accepted' ? 'aid_granted' : 'aid_refused',
    ...(application.decidedBy ? { mediatorId: application.decidedBy } : {}),
  };
}

export type IntakeDecision<T> = {
  current: T;
  /** Whether it was decided before this request. */
  decided: boolean;
  lineOf: (record: T) => NewLedgerEntry | undefined;
  /** Takes the record for this request alone (CONFLICT if another holds it), and gives it up. */
  claim: () => Promise<void>;
  release: () => Promise<void>;
  refusal: string;
};

/**
 * Decides an intake record once and feeds the ledger. A record decided before
 * has its line written again (a no-op, or the repair of a crash between the
 * decision and its line) and the request is refused; otherwise the decision
 * runs under a claim, given up if it fails so it can be made again.
 */
export async function decideOnce<T>(ledger: LedgerStore, record: IntakeDecision<T>, decide: () => Promise<T>): Promise<T> {
  const feed = async (r: T) => {
    const line = record.lineOf(r);
    if (line) await ledger.write(line);
  };
  if (record.decided) {
    await feed(record.current);
    throw new CourtLinkError('CONFLICT', record.refusal);
  }
  await record.claim();
  let decided: T;
  try {
    decided = await decide();
  } catch (err) {
    await record.release();
    throw err;
  }
  await feed(decided);
  return decided;
}
