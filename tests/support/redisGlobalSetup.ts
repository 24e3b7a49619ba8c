import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startRedisServer } from '../../server/store/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** A real redis-server on a free port with a throw-away data dir, shared by every test file of the run. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'courtlink-test-redis-'));
  const redis = await startRedisServer({ dir });
  project.provide('redisUrl', redis.url);
  return async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
