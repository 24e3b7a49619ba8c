import { z } from 'zod';

/**
 * The mediation agreement (调解协议书) as drafted in the room. Every string has
 * a limit, so a 10 MB clause is refused here, before any rendering starts.
 */

export const disputeTypes = ['neighbourhood', 'family', 'unpaid_wages', 'traffic_accident', 'land_contract', 'general'] as const;
export const DisputeType = z.enum(disputeTypes);
export type DisputeType = z.infer<typeof DisputeType>;

/** 申请人 applicant, 被申请人 respondent. */
export const PartySide = z.enum(['申请人', '被申请人']);
export type PartySide = z.infer<typeof PartySide>;

const line = (max: number) => z.string().trim().min(1).max(max);

/** Resident ID (18 characters, the last may be X) or another document number; only its last 4 are ever printed. */
export const IdNumber = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{6,32}$/, 'an ID number of 6 to 32 letters and digits');
export const PhoneNumber = z
  .string()
  .trim()
  .regex(/^\+?[0-9 -]{5,20}$/, 'a phone number');

export const AgreementParty = z.object({
  /** Stable key the handwritten signature is filed under. */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a party id'),
  name: line(64),
  idNumber: IdNumber,
  address: line(200),
  phone: PhoneNumber,
  side: PartySide,
});
export type AgreementParty = z.infer<typeof AgreementParty>;

export const AgreementClause = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a clause id'),
  text: line(2000),
});
export type AgreementClause = z.infer<typeof AgreementClause>;

export const AgreementDraft = z
  .object({
    caseNumber: line(64),
    disputeType: DisputeType,
    parties: z.array(AgreementParty).min(2).max(10),
    facts: line(5000),
    terms: z.array(AgreementClause).min(1).max(50),
    mediator: z.object({ name: line(64), organisation: line(100) }),
  })
  .refine((d) => new Set(d.parties.map((p) => p.id)).size === d.parties.length, { message: 'party ids must be unique', path: ['parties'] })
  .refine((d) => new Set(d.terms.map((t) => t.id)).size === d.terms.length, { message: 'clause ids must be unique', path: ['terms'] });
export type AgreementDraft = z.infer<typeof AgreementDraft>;

/** 司法确认裁定书: the court's decision on an agreement. */
export const RulingDraft = z.object({
  caseNumber: line(64),
  court: line(100),
  judge: line(64),
  agreementCaseNumber: line(64),
  agreementSha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'),
  parties: z.array(AgreementParty).min(2).max(10),
  decision: z.discriminatedUnion('confirmed', [
    z.object({ confirmed: z.literal(true) }),
    z.object({ confirmed: z.literal(false), reason: line(2000) }),
  ]),
  /** ISO date (YYYY-MM-DD) printed as the ruling's date. */
  date: z.iso.date(),
});
export type RulingDraft = z.infer<typeof RulingDraft>;
