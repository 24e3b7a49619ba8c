import { z } from 'zod';
import type { Redis } from '../store/index.js';
import { newId } from './SessionStore.js';

/** A short link id: 16 letters and digits (about 95 bits), so /j/<id> fits an SMS or a WeChat message. */
export const LinkId = z.string().regex(/^[A-Za-z0-9]{16}$/, 'a link id');

const LinkRecord = z.object({ sessionId: z.string(), seatId: z.string(), expiresAt: z.number() });
export type LinkRecord = z.infer<typeof LinkRecord>;

const key = (linkId: string) => `cl:link:${linkId}`;

/**
 * Short, opaque invite links. The id means nothing by itself: the server
 * resolves it to one seat of one session until it expires (Redis TTL).
 */
export class InviteLinks {
  constructor(private readonly redis: Redis) {}

  async create(target: { sessionId: string; seatId: string }, ttlSeconds: number): Promise<{ linkId: string; expiresAt: number }> {
    const linkId = newId(16);
    const expiresAt = Date.now() + ttlSeconds * 1000;
    await this.redis.set(key(linkId), JSON.stringify({ ...target, expiresAt }), { expiration: { type: 'PX', value: ttlSeconds * 1000 } });
    return { linkId, expiresAt };
  }

  async resolve(linkId: string): Promise<LinkRecord | undefined> {
    if (!LinkId.safeParse(linkId).success) return undefined;
    const raw = await this.redis.get(key(linkId));
    if (!raw) return undefined;
    const record = LinkRecord.safeParse(JSON.parse(raw));
    return record.success && record.data.expiresAt > Date.now() ? record.data : undefined;
  }
}
