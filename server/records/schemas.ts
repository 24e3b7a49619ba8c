import { z } from 'zod';
import { LedgerSource, LedgerType, Outcome } from '../../signaling/index.js';

/** The back office's records. Request schemas are .strict(): an unknown field is refused, never ignored. */

export const RecordId = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'an id');
const text = (max: number) => z.string().trim().min(1).max(max);

export const staffRoles = ['admin', 'mediator', 'court_staff', 'correctional_officer', 'lawyer'] as const;
export const StaffRole = z.enum(staffRoles);
export type StaffRole = z.infer<typeof StaffRole>;

export const orgKinds = ['district_centre', 'township_station', 'court', 'correctional_office'] as const;
export const OrgKind = z.enum(orgKinds);

export const Organisation = z.object({
  id: RecordId,
  name: text(100),
  kind: OrgKind,
  parentId: RecordId.optional(),
  createdAt: z.string(),
});
export type Organisation = z.infer<typeof Organisation>;
export const NewOrganisation = Organisation.pick({ name: true, kind: true, parentId: true }).strict();

export const siteKinds = [
  'village_room',
  'township_station',
  'district_centre',
  'court',
  'correctional_site',
  'mobile_court',
  // Public services (issue 12): law firms offering consultations.
  'law_firm',
] as const;
export const SiteKind = z.enum(siteKinds);

/** A place where sessions happen. Coordinates are WGS-84 so a later site finder can GEOADD them. */
export const Site = z.object({
  id: RecordId,
  name: text(100),
  kind: SiteKind,
  orgId: RecordId,
  address: text(200),
  longitude: z.number().min(-180).max(180),
  latitude: z.number().min(-85.05112878).max(85.05112878),
  // Public services (issue 12): what the public site finder shows. Optional so older sites still read.
  /** The township (乡镇) the site belongs to: the public page's fallback when location is refused. */
  township: text(40).optional(),
  openingHours: text(100).optional(),
  contact: z
    .string()
    .regex(/^[0-9+() -]{5,30}$/, 'a phone number')
    .optional(),
  services: z.array(text(40)).max(20).optional(),
  /** Whether the site has a room equipped for video sessions. */
  videoRoom: z.boolean().optional(),
  createdAt: z.string(),
});
export type Site = z.infer<typeof Site>;
export const NewSite = Site.omit({ id: true, createdAt: true }).strict();

export const Username = z.string().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, '3 to 32 lower-case letters, digits, dot, dash or underscore');
export const Password = z.string().min(10, 'at least 10 characters').max(200);

export const Account = z.object({
  id: RecordId,
  username: Username,
  displayName: text(64),
  staffRole: StaffRole,
  orgId: RecordId,
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type Account = z.infer<typeof Account>;
/** As stored: the account plus its scrypt hash, which never leaves the store. */
export const StoredAccount = Account.extend({ passwordHash: z.string() });
export type StoredAccount = z.infer<typeof StoredAccount>;
export const NewAccount = z
  .object({ username: Username, displayName: text(64), staffRole: StaffRole, orgId: RecordId, password: Password })
  .strict();
export type NewAccount = z.infer<typeof NewAccount>;

export const disputeTypes = ['neighbourhood', 'family', 'unpaid_wages', 'traffic_accident', 'land_contract', 'general'] as const;
export const DisputeType = z.enum(disputeTypes);

export const Party = z
  .object({
    name: text(64),
    side: z.enum(['申请人', '被申请人']),
    phone: z.string().regex(/^\+?[0-9]{7,15}$/, 'a phone number'),
    /** 居民身份证号: 17 digits and a digit or X. */
    idNumber: z.string().regex(/^[0-9]{17}[0-9X]$/, 'an 18-character ID number'),
  })
  .strict();
export type Party = z.infer<typeof Party>;

export const CaseNumber = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}()（）〔〕[\]_-]{2,40}$/u, 'a case number such as （2026）示调字第001号');

export const CaseRecord = z.object({
  id: RecordId,
  orgId: RecordId,
  caseNumber: CaseNumber,
  disputeType: DisputeType,
  parties: z.array(Party),
  mediatorId: RecordId,
  siteId: RecordId,
  sessionIds: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type CaseRecord = z.infer<typeof CaseRecord>;
export const NewCase = z
  .object({
    caseNumber: CaseNumber,
    disputeType: DisputeType,
    parties: z.array(Party).min(1).max(20),
    mediatorId: RecordId,
    siteId: RecordId,
  })
  .strict();
export type NewCase = z.infer<typeof NewCase>;

// The ledger's vocabulary lives in the contract, so the back office's forms offer exactly what this accepts.
export { editableOutcomes, ledgerSources, ledgerTypes, outcomes, successfulOutcomes } from '../../signaling/index.js';
export { LedgerSource, LedgerType, Outcome };

/**
 * 台账: one line per service delivered. A finished session's line is keyed by
 * its session id; a line without a session (issue 12) by a key made from its
 * source's id (`bk_`, `wo_`, `la_` + id), so the same URLs serve every line.
 */
export const LedgerEntry = z.object({
  sessionId: z.string().min(1).max(64),
  orgId: RecordId,
  type: LedgerType,
  /** Lines written before issue 12 have none: they are all sessions. */
  source: LedgerSource.default('session'),
  /** The id of the booking, work order or application the line records; never a booking or application code (the citizen's secret). */
  referenceId: RecordId.optional(),
  caseId: RecordId.optional(),
  caseNumber: z.string().optional(),
  siteIds: z.array(RecordId),
  /** Already masked when written: the ledger never holds a full name, phone or ID number. */
  participants: z.array(z.object({ role: z.string(), name: z.string() })),
  startedAt: z.iso.datetime({ offset: true }),
  endedAt: z.iso.datetime({ offset: true }),
  durationSeconds: z.number().int().nonnegative(),
  recordingIds: z.array(z.string()),
  agreementIds: z.array(z.string()),
  rulingIds: z.array(z.string()),
  outcome: Outcome.optional(),
  /** The responsible staff member: the case's mediator, or the lawyer of a consultation. */
  mediatorId: z.string().optional(),
  /** Supervised visits (issue 12): the officer's mutes, stopped videos and cuts, from the audit trail. */
  interventions: z.array(z.object({ at: z.string(), kind: z.string(), targetRole: z.string() })).optional(),
  writtenAt: z.string(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;
/** What a writer passes: `source` may be left out for a session's line. */
export type NewLedgerEntry = Omit<z.input<typeof LedgerEntry>, 'writtenAt'>;
