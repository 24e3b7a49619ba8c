import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a generated secret lives (the JWT key by default); the CLI reads it from the same place. Names are ours, never user input. */
export function secretPath(dataDir: string, name: 'jwt.key' | 'metrics.token' = 'jwt.key'): string {
  return join(dataDir, 'secrets', name);
}

/**
 * The configured secret, or one generated once and kept (mode 0600) under the
 * data dir, so invite links survive a restart without any configuration.
 */
export function loadOrCreateSecret(dataDir: string, configured: string | undefined, name: 'jwt.key' | 'metrics.token' = 'jwt.key'): string {
  if (configured) return configured;
  const path = secretPath(dataDir, name);
  try {
    const existing = readFileSync(path, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not there yet
  }
  mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(path, 0o600);
  return secret;
}
