import { z } from 'zod';
import { type AgreementView, DocumentInfo, type PolicyState, SeatId, SessionDraft } from '../../signaling/index.js';
import { maskIdNumber, maskPhone } from '../records/masking.js';

/** One party's handwritten signature, as kept until the agreement is rendered. */
const StoredSignature = z.object({
  seatId: SeatId,
  signedAt: z.string(),
  /** The socket's address at signing: part of the attestation printed under the signature. */
  ip: z.string().max(64),
  /** The normalized PNG (600×200), base64. */
  png: z.string(),
  version: z.number().int(),
});

/**
 * A session's agreement as persisted in Redis, written with the audit entry of
 * each change, so a restart finds the draft, confirmations and signatures as they were.
 */
export const AgreementRecord = z.object({
  version: z.number().int().nonnegative(),
  draft: SessionDraft.nullable(),
  confirmations: z.record(z.string(), z.array(SeatId)),
  signatures: z.record(z.string(), StoredSignature),
  documents: z.array(DocumentInfo),
  agreementSha256: z.string().optional(),
  courtCalled: z.boolean(),
  /** Staff account → the court_staff seat it was given when it answered the call. */
  courtSeats: z.record(z.string(), SeatId),
  decision: z.object({ confirmed: z.boolean(), reason: z.string().optional(), at: z.string() }).optional(),
});
export type AgreementRecord = z.infer<typeof AgreementRecord>;

export function emptyAgreement(): AgreementRecord {
  return { version: 0, draft: null, confirmations: {}, signatures: {}, documents: [], courtCalled: false, courtSeats: {} };
}

export function statusOf(record: AgreementRecord): AgreementView['status'] {
  if (record.decision) return record.decision.confirmed ? 'confirmed' : 'refused';
  if (record.agreementSha256) return 'signed';
  return record.draft ? 'draft' : 'none';
}

/** The policy's view: a refused agreement stays 'signed' (the decision itself cannot be made twice). */
/** What the policy reads of the agreement: where it stands, and whether the court's call is open. */
export type AgreementPolicy = Pick<PolicyState, 'agreement' | 'courtCallOpen'>;

export function agreementPolicy(record: AgreementRecord): AgreementPolicy {
  const status = statusOf(record);
  return { agreement: status === 'refused' ? 'signed' : status, courtCallOpen: record.courtCalled && !record.decision };
}

/** What participants see: no signature images, no addresses. */
export function viewOf(record: AgreementRecord): AgreementView {
  return {
    status: statusOf(record),
    version: record.version,
    draft: record.draft,
    confirmations: record.confirmations,
    signatures: Object.entries(record.signatures).map(([partyId, s]) => ({ partyId, seatId: s.seatId, signedAt: s.signedAt })),
    documents: record.documents,
    courtCalled: record.courtCalled,
    ...(record.decision ? { decision: record.decision } : {}),
  };
}

/**
 * The view one seat is sent: ID numbers and phones of other parties masked as
 * the PDF prints them, unless the policy lets this seat see them whole.
 */
export function viewFor(record: AgreementRecord, seatId: string, seesDetails: boolean): AgreementView {
  const view = viewOf(record);
  if (!view.draft || seesDetails) return view;
  const parties = view.draft.parties.map((p) =>
    p.seatId === seatId ? p : { ...p, idNumber: maskIdNumber(p.idNumber), phone: maskPhone(p.phone) },
  );
  return { ...view, draft: { ...view.draft, parties } };
}
