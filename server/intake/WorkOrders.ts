import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CourtLinkError } from '../../signaling/index.js';
import { recordId } from '../records/ids.js';
import type { Redis } from '../store/index.js';

/** 12348 hotline categories (公共法律服务热线). */
export const workOrderCategories = ['consultation', 'mediation', 'legal_aid', 'complaint', 'other'] as const;

export const NewWorkOrder = z
  .object({
    /** The hotline's own ticket number: the natural key, so a resent order is one order. */
    externalRef: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/, 'a ticket number'),
    caller: z.object({ name: z.string().trim().min(1).max(64), phone: z.string().regex(/^\+?[0-9]{7,15}$/, 'a phone number') }).strict(),
    category: z.enum(workOrderCategories),
    summary: z.string().trim().min(1).max(2000),
    preferredSiteId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{6,64}$/)
      .optional(),
  })
  .strict();
export type NewWorkOrder = z.infer<typeof NewWorkOrder>;

export const WorkOrder = NewWorkOrder.extend({
  id: z.string(),
  orgId: z.string(),
  status: z.enum(['new', 'case', 'booking', 'answered']),
  /** The case or booking it became. */
  resultRef: z.string().optional(),
  /** Who resolved it, when, for which organisation and where (issue 12): what its ledger line is written from. */
  resolution: z
    .object({
      at: z.string(),
      by: z.string(),
      orgId: z.string(),
      siteId: z.string().optional(),
      caseNumber: z.string().optional(),
    })
    .optional(),
  createdAt: z.string(),
});
export type WorkOrder = z.infer<typeof WorkOrder>;

export type WorkOrderStep = { at: string; by: string; action: 'received' | 'case' | 'booking' | 'answered'; detail: string };

const keys = {
  apiKey: (hash: string) => `cl:intake:apikey:${hash}`,
  order: (id: string) => `cl:intake:order:${id}`,
  orgOrders: (orgId: string) => `cl:org:${orgId}:intake`,
  ref: (orgId: string, ref: string) => `cl:intake:ref:${orgId}:${ref}`,
  steps: (id: string) => `cl:intake:order:${id}:steps`,
  claim: (id: string) => `cl:intake:order:${id}:claim`,
};

/** How long one resolution may hold its order before another may try. */
const claimSeconds = 120;

/** A random 256-bit key needs no slow hash: SHA-256 of it is as unguessable as the key, and lookups stay O(1). */
const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** 12348 work orders and the organisations' intake API keys (issue 12). Keys are stored hashed; the plain key is shown once. */
export class WorkOrders {
  constructor(private readonly redis: Redis) {}

  async createApiKey(orgId: string): Promise<string> {
    const key = `ik_${randomBytes(32).toString('base64url')}`;
    await this.redis.set(keys.apiKey(hashKey(key)), orgId);
    return key;
  }

  /** The organisation an API key belongs to; UNAUTHENTICATED for none or a wrong one. */
  async orgOfKey(key: string | undefined): Promise<string> {
    if (!key || key.length > 200) throw new CourtLinkError('UNAUTHENTICATED', 'An intake API key is required (X-Api-Key).');
    const orgId = await this.redis.get(keys.apiKey(hashKey(key)));
    if (!orgId) throw new CourtLinkError('UNAUTHENTICATED', 'This intake API key is not valid.');
    return orgId;
  }

  /** Creates the order once per ticket number; a resend answers the first order (created: false). */
  async receive(orgId: string, input: NewWorkOrder): Promise<{ order: WorkOrder; created: boolean }> {
    const order = WorkOrder.parse({ ...input, id: recordId(), orgId, status: 'new', createdAt: new Date().toISOString() });
    const claimed = await this.redis.set(keys.ref(orgId, input.externalRef), order.id, { NX: true });
    if (claimed !== 'OK') {
      const existing = await this.get(String(await this.redis.get(keys.ref(orgId, input.externalRef))));
      if (existing) return { order: existing, created: false };
    }
    const step: WorkOrderStep = { at: order.createdAt, by: 'intake-api', action: 'received', detail: input.category };
    await this.redis
      .multi()
      .set(keys.order(order.id), JSON.stringify(order))
      .zAdd(keys.orgOrders(orgId), { score: Date.parse(order.createdAt), value: order.id })
      .rPush(keys.steps(order.id), JSON.stringify(step))
      .exec();
    return { order, created: true };
  }

  async get(id: string): Promise<WorkOrder | undefined> {
    const raw = await this.redis.get(keys.order(id));
    return raw ? WorkOrder.parse(JSON.parse(raw)) : undefined;
  }

  async list(orgIds: Iterable<string>): Promise<WorkOrder[]> {
    const ids = (await Promise.all([...orgIds].map((o) => this.redis.zRange(keys.orgOrders(o), 0, -1)))).flat();
    return (await Promise.all(ids.map((id) => this.get(id)))).filter((o): o is WorkOrder => o !== undefined);
  }

  /**
   * Takes the order for one resolution: a second request that arrives while the
   * first is still creating its case or booking is refused (CONFLICT), so a
   * repeated request can never resolve one order twice.
   */
  async claim(id: string): Promise<void> {
    if ((await this.redis.set(keys.claim(id), '1', { NX: true, EX: claimSeconds })) !== 'OK')
      throw new CourtLinkError('CONFLICT', 'This work order is being handled.');
  }

  /** Gives up a claim whose resolution failed, so the order can be handled again. */
  async release(id: string): Promise<void> {
    await this.redis.del(keys.claim(id));
  }

  /** Marks the order resolved and appends the audited step, in one MULTI. */
  async resolve(
    order: WorkOrder,
    by: { accountId: string; orgId: string },
    status: 'case' | 'booking' | 'answered',
    detail: string,
    place: { resultRef?: string; siteId?: string | undefined; caseNumber?: string } = {},
  ): Promise<WorkOrder> {
    const at = new Date().toISOString();
    const { resultRef, siteId, caseNumber } = place;
    const resolution = { at, by: by.accountId, orgId: by.orgId, ...(siteId ? { siteId } : {}), ...(caseNumber ? { caseNumber } : {}) };
    const next = WorkOrder.parse({ ...order, status, ...(resultRef ? { resultRef } : {}), resolution });
    const step: WorkOrderStep = { at, by: by.accountId, action: status, detail };
    await this.redis.multi().set(keys.order(order.id), JSON.stringify(next)).rPush(keys.steps(order.id), JSON.stringify(step)).exec();
    return next;
  }

  async steps(id: string): Promise<WorkOrderStep[]> {
    return (await this.redis.lRange(keys.steps(id), 0, -1)).map((raw) => JSON.parse(raw) as WorkOrderStep);
  }
}
