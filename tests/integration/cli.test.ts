import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, testJwtSecret } from '../support/server.js';
import { api } from '../support/signaling.js';

const run = promisify(execFile);

/** The built `courtlink` bin (npm test builds before running the suites). */
function courtlink(server: TestServer, args: string[]) {
  return run(process.execPath, ['bin/courtlink.js', ...args], {
    env: { PATH: process.env.PATH ?? '', COURTLINK_URL: server.url, JWT_SECRET: testJwtSecret, DATA_DIR: server.dataDir },
  });
}

describe('courtlink CLI', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('creates a session and prints its id', async () => {
    const { stdout } = await courtlink(server, ['session', 'create', '--type', 'mediation', '--title', '邻里纠纷调解']);
    const id = stdout.trim();
    expect(id).toMatch(/^[A-Za-z0-9]{16}$/);
    const { status, body } = await api<{ session: { title: string; type: string } }>(server, 'GET', `/sessions/${id}`);
    expect(status).toBe(200);
    expect(body.session).toMatchObject({ title: '邻里纠纷调解', type: 'mediation' });
  });

  it('prints a short, opaque invite link that resolves to exactly that seat', async () => {
    const id = (await courtlink(server, ['session', 'create', '--type', 'mediation', '--title', '邻里调解'])).stdout.trim();
    const { stdout } = await courtlink(server, ['invite', '--session', id, '--role', 'party', '--name', '李女士', '--ttl', '90m']);
    const link = stdout.trim();
    const match = /^http:\/\/127\.0\.0\.1:(\d+)(\/j\/([A-Za-z0-9]{16}))$/.exec(link);
    expect(match?.[1]).toBe(String(server.port));
    // Short enough for an SMS: under 40 characters after the host, and the name cannot be read from it.
    expect(match?.[2]?.length).toBeLessThan(40);
    expect(link).not.toContain(Buffer.from('李女士').toString('base64url'));
    const resolved = await (await fetch(`${server.url}/api/invites/${match?.[3]}`)).json();
    expect(resolved).toMatchObject({ status: 'open', seat: { role: 'party', displayName: '李女士' }, session: { title: '邻里调解' } });
    const claims = server.tokens.verifyInvite(resolved.token);
    expect(claims).toMatchObject({ sessionId: id, role: 'party', displayName: '李女士' });
    const payload = JSON.parse(Buffer.from(String(resolved.token).split('.')[1] ?? '', 'base64url').toString());
    // The seat's token expires with the link.
    expect(Math.abs(payload.exp - payload.iat - 90 * 60)).toBeLessThanOrEqual(2);
  });

  it('accepts any id after --session, including one that starts with a dash', async () => {
    const failure = await courtlink(server, ['invite', '--session', '-abcdefgh1234', '--role', 'party', '--name', 'x']).catch((e) => e);
    // The id reached the server (where no id starts with a dash) instead of failing as an unknown option.
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('INVALID_PAYLOAD');
    expect(failure.stderr).not.toContain('Usage');
  });

  it('prints a staff token the server accepts for the staff API', async () => {
    const token = (await courtlink(server, ['staff-token', '--ttl', '1h'])).stdout.trim();
    expect(server.tokens.verifyStaff(token)).toMatchObject({ staffRole: 'admin' });
    const { status } = await api(server, 'GET', '/sessions', undefined, token);
    expect(status).toBe(200);
  });

  it('explains a bad role and exits with a usage error', async () => {
    const failure = await courtlink(server, ['invite', '--session', 'whatever1', '--role', 'judge', '--name', 'x']).catch((e) => e);
    expect(failure.code).toBe(64);
    expect(failure.stderr).toContain('--role must be one of: mediator, party');
  });

  it('reports the server error code for an unknown session', async () => {
    const failure = await courtlink(server, ['invite', '--session', 'doesnotexist', '--role', 'party', '--name', 'x']).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('NOT_FOUND');
  });
});
