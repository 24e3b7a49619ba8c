import { z } from 'zod';
import { AgreementClause, AgreementParty, DisputeType } from './agreement.js';
import { SeatId } from './session.js';

/**
 * The agreement as it lives inside a session: drafted by the host mediator,
 * confirmed clause by clause and signed by the parties, finalized into a
 * signed PDF, then confirmed (or not) by court staff (司法确认).
 */

const line = (max: number) => z.string().trim().min(1).max(max);

/** A party of the draft, and the seat that signs for them. */
export const DraftParty = AgreementParty.extend({ seatId: SeatId });
export type DraftParty = z.infer<typeof DraftParty>;

export const SessionDraft = z
  .object({
    caseNumber: line(64),
    disputeType: DisputeType,
    parties: z.array(DraftParty).min(2).max(10),
    facts: line(5000),
    terms: z.array(AgreementClause).min(1).max(50),
    mediator: z.object({ name: line(64), organisation: line(100) }),
  })
  .strict()
  .refine((d) => new Set(d.parties.map((p) => p.id)).size === d.parties.length, { message: 'party ids must be unique', path: ['parties'] })
  .refine((d) => new Set(d.parties.map((p) => p.seatId)).size === d.parties.length, {
    message: 'each seat signs for one party',
    path: ['parties'],
  })
  .refine((d) => new Set(d.terms.map((t) => t.id)).size === d.terms.length, { message: 'clause ids must be unique', path: ['terms'] });
export type SessionDraft = z.infer<typeof SessionDraft>;

export const DocumentId = z.string().regex(/^d[A-Za-z0-9]{15}$/, 'a document id');
export const DocumentKind = z.enum(['agreement', 'ruling']);

/** A signed document of a session, as listed to its participants and staff. */
export const DocumentInfo = z.object({
  id: DocumentId,
  sessionId: z.string(),
  kind: DocumentKind,
  sha256: z.string(),
  createdAt: z.string(),
  /** Signed with a development certificate: the UI marks it 开发测试证书. */
  development: z.boolean(),
});
export type DocumentInfo = z.infer<typeof DocumentInfo>;

/** draft → signed (finalized, organisation-signed PDF) → confirmed / refused by the court. */
export const AgreementStatus = z.enum(['none', 'draft', 'signed', 'confirmed', 'refused']);
export type AgreementStatus = z.infer<typeof AgreementStatus>;

/** What every participant in the joint room sees: never ID numbers' signature images or IPs beyond the draft itself. */
export const AgreementView = z.object({
  status: AgreementStatus,
  version: z.number().int().nonnegative(),
  draft: SessionDraft.nullable(),
  /** Clause id → seats of parties who confirmed that clause in its current wording. */
  confirmations: z.record(z.string(), z.array(SeatId)),
  signatures: z.array(z.object({ partyId: z.string(), seatId: SeatId, signedAt: z.string() })),
  documents: z.array(DocumentInfo),
  courtCalled: z.boolean(),
  decision: z.object({ confirmed: z.boolean(), reason: z.string().optional(), at: z.string() }).optional(),
});
export type AgreementView = z.infer<typeof AgreementView>;

/** A canvas PNG, base64; kept well under socket.io's 256 KB message limit. */
export const SignatureImage = z
  .string()
  .max(240_000, 'a signature image under about 180 KB')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

export const agreementRequests = {
  'agreement:get': { request: z.object({}).strict(), response: AgreementView },
  /** The host mediator saves a version; `version` is the one the edit was based on (stale → CONFLICT). */
  'agreement:edit': {
    request: z.object({ version: z.number().int().nonnegative(), draft: SessionDraft }).strict(),
    response: z.object({ version: z.number().int() }),
  },
  /** A party confirms one clause of the current version, on their own line (seatId = self). */
  'agreement:confirmClause': {
    request: z.object({ seatId: SeatId, clauseId: z.string().min(1).max(64), version: z.number().int().nonnegative() }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  'agreement:sign': {
    request: z.object({ seatId: SeatId, version: z.number().int().nonnegative(), png: SignatureImage }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  'agreement:finalize': { request: z.object({}).strict(), response: DocumentInfo },
  /** 流动法庭: the mediator calls court staff in for judicial confirmation. */
  'court:call': { request: z.object({}).strict(), response: z.object({ ok: z.literal(true) }) },
  'court:decide': {
    request: z
      .object({
        confirmed: z.boolean(),
        reason: line(2000).optional(),
        caseNumber: line(64).optional(),
        court: line(100).optional(),
      })
      .strict()
      .refine((d) => d.confirmed || d.reason !== undefined, { message: 'a reason is required when not confirming', path: ['reason'] }),
    response: DocumentInfo,
  },
} as const;

export const agreementNotifications = {
  /** The draft, its confirmations, signatures and documents changed (sent to the joint room). */
  'agreement:updated': AgreementView,
} as const;
