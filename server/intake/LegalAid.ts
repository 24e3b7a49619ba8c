import { z } from 'zod';
import { CourtLinkError } from '../../signaling/index.js';
import { bookingCode } from '../appointments/AppointmentBook.js';
import { recordId } from '../records/ids.js';
import type { Redis } from '../store/index.js';

export const incomeBands = ['minimum_living_allowance', 'low_income', 'below_local_standard', 'other'] as const;

/** The self-service form (/legal-aid). consent must be true; clientKey makes a double submit one application. */
export const LegalAidForm = z
  .object({
    clientKey: z.string().regex(/^[A-Za-z0-9-]{16,64}$/, 'a form key'),
    siteId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
    applicant: z.object({ name: z.string().trim().min(1).max(64), phone: z.string().regex(/^\+?[0-9]{7,15}$/, 'a phone number') }).strict(),
    matter: z.string().trim().min(1).max(2000),
    incomeBand: z.enum(incomeBands),
    consent: z.literal(true),
  })
  .strict();
export type LegalAidForm = z.infer<typeof LegalAidForm>;

export const LegalAidApplication = LegalAidForm.omit({ clientKey: true }).extend({
  /** A reference that is not the code (the applicant's secret): the ledger names the application by it. Older ones get one when decided. */
  id: z.string().optional(),
  code: z.string(),
  orgId: z.string(),
  status: z.enum(['submitted', 'accepted', 'rejected']),
  reason: z.string().optional(),
  caseId: z.string().optional(),
  decidedBy: z.string().optional(),
  /** When, and for which organisation, it was decided (issue 12): what its ledger line is written from. */
  decision: z.object({ at: z.string(), orgId: z.string(), caseNumber: z.string().optional() }).optional(),
  createdAt: z.string(),
});
export type LegalAidApplication = z.infer<typeof LegalAidApplication>;

const keys = {
  application: (code: string) => `cl:legalaid:${code}`,
  byClientKey: (clientKey: string) => `cl:legalaid:form:${clientKey}`,
  orgList: (orgId: string) => `cl:org:${orgId}:legalaid`,
  claim: (code: string) => `cl:legalaid:${code}:claim`,
};

/** How long one decision may hold its application before another may try. */
const claimSeconds = 120;

/** Legal-aid applications (法律援助申请, issue 12): submitted without an account, decided by staff, checked by code. */
export class LegalAidDesk {
  constructor(private readonly redis: Redis) {}

  async submit(orgId: string, form: LegalAidForm): Promise<{ application: LegalAidApplication; created: boolean }> {
    const { clientKey, ...rest } = form;
    const application = LegalAidApplication.parse({
      ...rest,
      id: recordId(),
      code: bookingCode(),
      orgId,
      status: 'submitted',
      createdAt: new Date().toISOString(),
    });
    const claimed = await this.redis.set(keys.byClientKey(clientKey), application.code, { NX: true, EX: 30 * 86400 });
    if (claimed !== 'OK') {
      const first = await this.get(String(await this.redis.get(keys.byClientKey(clientKey))));
      if (first) return { application: first, created: false };
    }
    await this.redis
      .multi()
      .set(keys.application(application.code), JSON.stringify(application))
      .zAdd(keys.orgList(orgId), { score: Date.parse(application.createdAt), value: application.code })
      .exec();
    return { application, created: true };
  }

  async get(code: string): Promise<LegalAidApplication | undefined> {
    const raw = await this.redis.get(keys.application(code));
    return raw ? LegalAidApplication.parse(JSON.parse(raw)) : undefined;
  }

  async require(code: string): Promise<LegalAidApplication> {
    const found = await this.get(code);
    if (!found) throw new CourtLinkError('NOT_FOUND', 'No application has this code.');
    return found;
  }

  async list(orgIds: Iterable<string>): Promise<LegalAidApplication[]> {
    const codes = (await Promise.all([...orgIds].map((o) => this.redis.zRange(keys.orgList(o), 0, -1)))).flat();
    return (await Promise.all(codes.map((c) => this.get(c)))).filter((a): a is LegalAidApplication => a !== undefined);
  }

  /** Takes the application for one decision: a second request while the first creates its case is refused (CONFLICT). */
  async claim(code: string): Promise<void> {
    if ((await this.redis.set(keys.claim(code), '1', { NX: true, EX: claimSeconds })) !== 'OK')
      throw new CourtLinkError('CONFLICT', 'This application is being decided.');
  }

  /** Gives up a claim whose decision failed, so the application can be decided again. */
  async release(code: string): Promise<void> {
    await this.redis.del(keys.claim(code));
  }

  async decide(
    code: string,
    change: Pick<LegalAidApplication, 'status' | 'decidedBy'> & { reason?: string; caseId?: string },
    by: { orgId: string; caseNumber?: string },
  ): Promise<LegalAidApplication & { id: string }> {
    const current = await this.require(code);
    const decision = { at: new Date().toISOString(), orgId: by.orgId, ...(by.caseNumber ? { caseNumber: by.caseNumber } : {}) };
    const next = LegalAidApplication.parse({ ...current, id: current.id ?? recordId(), ...change, decision });
    await this.redis.set(keys.application(code), JSON.stringify(next));
    return next as LegalAidApplication & { id: string };
  }
}
