import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { type CourtLinkServer, startCourtLink } from '../../server/app.js';
import { loadConfig } from '../../server/config/index.js';
import { createLogger } from '../../server/log/index.js';

/** Known to the tests so they can forge, tamper with and expire tokens. */
export const testJwtSecret = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export type TestServer = CourtLinkServer & { dataDir: string; stop(): Promise<void> };

/**
 * A complete CourtLink server on a free port, wired to the suite's real
 * redis-server, with one real media worker and free RTC ports.
 * Pass `dataDir` to share one data dir across restarts; the caller then owns
 * it and `stop()` leaves it in place.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { dataDir?: string; logDestination?: NodeJS.WritableStream } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'courtlink-test-data-'));
  // The run's development certificates (tests/support/certsGlobalSetup.ts), so start-up need not make new ones.
  if (!existsSync(join(dataDir, 'certs'))) cpSync(inject('certsDir'), join(dataDir, 'certs'), { recursive: true });
  const config = loadConfig({
    PORT: '0',
    REDIS_URL: inject('redisUrl'),
    DATA_DIR: dataDir,
    MEDIA_WORKERS: '1',
    RTC_PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET: testJwtSecret,
    ...env,
  });
  const server = await startCourtLink(config, createLogger(config.log.level, options.logDestination as Parameters<typeof createLogger>[1]));
  return {
    ...server,
    dataDir,
    async stop() {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
