import { z } from 'zod';
import { DisplayName } from '../../signaling/index.js';
import type { Redis } from '../store/index.js';

export const FamilyMember = z.object({
  seatId: z.string(),
  name: DisplayName,
  /** 关系: 父亲, 配偶, 子女 … */
  relationship: z.string().trim().min(1).max(20),
  phone: z.string().regex(/^\+?[0-9]{7,15}$/, 'a phone number'),
});
export type FamilyMember = z.infer<typeof FamilyMember>;

/** An intervention by the officer during the visit, read from the audit trail. */
export const Intervention = z.object({ at: z.string(), kind: z.enum(['mute', 'stop_video', 'cut']), targetRole: z.string() });
export type Intervention = z.infer<typeof Intervention>;

/** What the officer scheduled, and, once it ended, what happened. Names and phones stay here, never in logs. */
export const VisitRecord = z.object({
  sessionId: z.string(),
  orgId: z.string(),
  officerSeatId: z.string(),
  supervisedSeatId: z.string(),
  family: z.array(FamilyMember),
  scheduledAt: z.string(),
  startBy: z.string(),
  durationSeconds: z.number().int().positive(),
  warnAtSeconds: z.array(z.number().int().positive()),
  createdBy: z.string(),
  /** Written when the visit ended. */
  outcome: z
    .object({
      startedAt: z.string(),
      endedAt: z.string(),
      durationSeconds: z.number().int().nonnegative(),
      endReason: z.string(),
      participants: z.array(z.object({ role: z.string(), name: z.string() })),
      interventions: z.array(Intervention),
      recordingIds: z.array(z.string()),
    })
    .optional(),
});
export type VisitRecord = z.infer<typeof VisitRecord>;

const key = (sessionId: string) => `cl:visit:${sessionId}`;

/** Supervised visits' schedules and records (issue 12), one JSON record per visit session. */
export class VisitStore {
  constructor(private readonly redis: Redis) {}

  async save(record: VisitRecord): Promise<void> {
    await this.redis.set(key(record.sessionId), JSON.stringify(VisitRecord.parse(record)));
  }

  async get(sessionId: string): Promise<VisitRecord | undefined> {
    const raw = await this.redis.get(key(sessionId));
    return raw ? VisitRecord.parse(JSON.parse(raw)) : undefined;
  }
}
