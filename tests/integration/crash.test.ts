import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { TokenService } from '../../server/auth/index.js';
import { exitOf, spawnCourtLink } from '../support/processes.js';
import { type TestServer, testJwtSecret } from '../support/server.js';
import { connect, createSession, invite, joinAdmitted, request, useSockets } from '../support/signaling.js';

/** Just what the signalling helpers need from a server running in another process. */
function remote(url: string): TestServer {
  return { url, tokens: new TokenService(testJwtSecret, 'courtlink') } as unknown as TestServer;
}

describe('a server killed without warning', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'courtlink-crash-'));
  const track = useSockets();
  const children: ReturnType<typeof spawnCourtLink>[] = [];
  const env = {
    PORT: '0',
    DATA_DIR: dataDir,
    REDIS_URL: inject('redisUrl'),
    JWT_SECRET: testJwtSecret,
    MEDIA_WORKERS: '1',
    RTC_PORT: '0',
    LOG_LEVEL: 'warn',
    RECONNECT_GRACE_SECONDS: '30',
  };
  afterAll(async () => {
    for (const c of children) {
      c.child.kill('SIGKILL');
      await exitOf(c.child);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets admitted people straight back in after a SIGKILL and restart', async () => {
    const first = spawnCourtLink(env);
    children.push(first);
    const before = remote(await first.url);
    const sessionId = await createSession(before, 'mediation', '断电后恢复');
    const hostInvite = await invite(before, sessionId, 'mediator', '调解员');
    const partyInvite = await invite(before, sessionId, 'party', '当事人');
    const host = track(await joinAdmitted(before, undefined, hostInvite));
    track(await joinAdmitted(before, host, partyInvite));

    first.child.kill('SIGKILL');
    await exitOf(first.child);

    const second = spawnCourtLink(env);
    children.push(second);
    const after = remote(await second.url);
    const party = track(await connect(after, partyInvite.token));
    expect(await request(party, 'session:join', {})).toMatchObject({ state: 'admitted', resumed: true, session: { title: '断电后恢复' } });
    const hostAgain = track(await connect(after, hostInvite.token));
    const rejoined = await request(hostAgain, 'session:join', {});
    expect(rejoined).toMatchObject({ state: 'admitted' });
    expect('participants' in rejoined && rejoined.participants.map((p) => p.seatId)).toEqual([partyInvite.seatId]);
    // The crash itself is in the audit trail: the next node recorded the recovery as a system event.
    const staff = after.tokens.signStaff({ sub: 'auditor', staffRole: 'admin' }, 300);
    const audit = await (
      await fetch(`${await second.url}/api/sessions/${sessionId}/audit`, { headers: { authorization: `Bearer ${staff}` } })
    ).text();
    const recovered = audit
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((e) => e.type === 'session.recovered');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ actor: { kind: 'system', reason: 'crash-recovery' }, data: { admittedSeats: 2 } });
  });

  it('keeps a long-admitted seat fresh with a heartbeat, so a crash does not cost it', async () => {
    // Grace 8 s: the heartbeat runs every 2.7 s. The party has been in for longer than the grace period when the server dies;
    // the new server must start within about 5 s of the last heartbeat, which a loaded machine can need.
    const shortGrace = { ...env, RECONNECT_GRACE_SECONDS: '8' };
    const first = spawnCourtLink(shortGrace);
    children.push(first);
    const before = remote(await first.url);
    const sessionId = await createSession(before, 'mediation', '长时间调解');
    const host = track(await joinAdmitted(before, undefined, await invite(before, sessionId, 'mediator', '调解员')));
    const partyInvite = await invite(before, sessionId, 'party', '当事人');
    track(await joinAdmitted(before, host, partyInvite));
    await new Promise((resolve) => setTimeout(resolve, 10_000));

    first.child.kill('SIGKILL');
    await exitOf(first.child);
    const second = spawnCourtLink(shortGrace);
    children.push(second);
    const party = track(await connect(remote(await second.url), partyInvite.token));
    expect(await request(party, 'session:join', {})).toMatchObject({ state: 'admitted', resumed: true });
  });
});
