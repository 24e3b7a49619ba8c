import type { z } from 'zod';
import type { Redis } from '../store/index.js';

/** One JSON record, parsed with its schema (a record that no longer parses is a bug to see, not to skip). */
export async function readJson<T>(redis: Redis, key: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const raw = await redis.get(key);
  return raw ? schema.parse(JSON.parse(raw)) : undefined;
}

/** Many JSON records in one round trip; keys that vanished meanwhile are left out. */
export async function readJsonMany<T>(redis: Redis, keys: string[], schema: z.ZodType<T>): Promise<T[]> {
  if (keys.length === 0) return [];
  const raws = await redis.mGet(keys);
  return raws.filter((r): r is string => r !== null).map((r) => schema.parse(JSON.parse(r)));
}
