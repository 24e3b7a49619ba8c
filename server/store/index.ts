import { createClient } from 'redis';
import type { Logger } from '../log/index.js';

export { type RedisServer, startRedisServer } from './redisServer.js';

export type Redis = ReturnType<typeof createClient>;

export async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const client = createClient({
    url,
    socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2000) },
  });
  // Without a listener, a dropped connection would crash the process.
  client.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
  await client.connect();
  return client;
}

export async function redisHealth(client: Redis): Promise<{ status: 'up' | 'down'; latencyMs?: number }> {
  if (!client.isReady) return { status: 'down' };
  const started = performance.now();
  try {
    await client.ping();
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch {
    return { status: 'down' };
  }
}
