import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenService } from '../server/auth/index.js';
import { exitOf, spawnCourtLink } from '../tests/support/processes.js';

/**
 * The real server as a child process (embedded Redis, real workers, its own
 * data dir), plus a staff-authenticated POST to its REST API.
 */
export async function startBenchServer(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'courtlink-bench-'));
  const server = spawnCourtLink({ PORT: '0', DATA_DIR: dataDir, RTC_PORT: '0', LOG_LEVEL: 'warn', ...env });
  const url = await server.url;
  const secret = readFileSync(join(dataDir, 'secrets', 'jwt.key'), 'utf8').trim();
  const staff = new TokenService(secret, 'courtlink').signStaff({ sub: 'bench', staffRole: 'admin' }, 3600);

  async function post<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${url}/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  return {
    url,
    pid: server.child.pid as number,
    post,
    async stop() {
      server.child.kill('SIGTERM');
      await exitOf(server.child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
