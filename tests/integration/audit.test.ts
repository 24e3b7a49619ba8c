import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../../server/store/index.js';
import { publish } from '../support/mediaPeers.js';
import { startTestServer, type TestServer, testJwtSecret } from '../support/server.js';
import { connect, createSession, invite, joinAdmitted, must, next, request, useSockets } from '../support/signaling.js';

const run = promisify(execFile);

function courtlink(server: TestServer, args: string[]) {
  return run(process.execPath, ['bin/courtlink.js', ...args], {
    env: { PATH: process.env.PATH ?? '', COURTLINK_URL: server.url, JWT_SECRET: testJwtSecret, DATA_DIR: server.dataDir },
  }).catch((err: { code: number; stdout: string; stderr: string }) => err);
}

/**
 * The audit trail end to end: a scripted session on its own redis-server (so
 * Redis itself can be restarted), exported with the CLI, verified, tampered
 * with, and carried on after a server restart and a Redis restart.
 */
describe('audit trail', () => {
  const work = mkdtempSync(join(tmpdir(), 'courtlink-audit-'));
  const track = useSockets();
  let redis: RedisServer | undefined;
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const start = async () => {
    redis = await startRedisServer({ dir: join(work, 'redis') });
    server = await startTestServer({ REDIS_URL: redis.url }, { dataDir: join(work, 'data') });
    return server;
  };

  it('records every action of a session, verifies, names a tampered entry, and survives server and Redis restarts', async () => {
    let s = await start();
    const sessionId = await createSession(s, 'mediation', '张三与李四邻里纠纷');
    const hostInvite = await invite(s, sessionId, 'mediator', '李调解员');
    const host = track(await joinAdmitted(s, undefined, hostInvite));
    const partyA = await invite(s, sessionId, 'party', '张三');
    const partyB = await invite(s, sessionId, 'party', '李四');
    const stranger = await invite(s, sessionId, 'party', '王五');
    const clerk = await invite(s, sessionId, 'court_staff', '赵书记员');
    const a = track(await joinAdmitted(s, host, partyA));
    const b = track(await joinAdmitted(s, host, partyB));
    const strangerSocket = track(await connect(s, stranger.token));
    must(await request(strangerSocket, 'session:join', {}));
    must(await request(host, 'host:deny', { seatId: stranger.seatId }));
    track(await joinAdmitted(s, host, clerk));
    await publish(a);
    must(await request(a, 'session:raiseHand', { raised: true }));
    must(await request(a, 'chat:send', { text: '我同意赔偿两千元' }));
    must(await request(host, 'host:mute', { seatId: partyA.seatId }));
    must(await request(host, 'host:requestUnmute', { seatId: partyA.seatId }));
    must(await request(host, 'host:lock', { locked: true }));
    must(await request(host, 'host:lock', { locked: false }));
    must(await request(host, 'host:autoAdmit', { roles: ['interpreter'] }));
    const { roomId } = must(await request(host, 'caucus:open', { name: '张三一方' }));
    must(await request(host, 'caucus:move', { seatIds: [partyA.seatId], roomId }));
    must(await request(host, 'caucus:returnAll', {}));
    must(await request(host, 'caucus:close', { roomId }));
    must(await request(host, 'host:remove', { seatId: partyB.seatId }));
    b.close();
    must(await request(host, 'host:handover', { seatId: clerk.seatId }));

    const file = join(work, 'audit.jsonl');
    const exported = await courtlink(s, ['audit', 'export', '--session', sessionId, '--out', file]);
    expect(exported.stderr ?? '').toBe('');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const entries = lines.map((l) => JSON.parse(l));
    const types = entries.map((e) => e.type);
    for (const type of [
      'session.created',
      'seat.invited',
      'seat.waiting',
      'seat.admitted',
      'seat.denied',
      'session.started',
      'seat.handRaised',
      'chat.sent',
      'host.muted',
      'host.unmuteRequested',
      'session.locked',
      'host.autoAdmitChanged',
      'caucus.opened',
      'caucus.moved',
      'caucus.closed',
      'seat.removed',
      'host.handedOver',
    ]) {
      expect(types, type).toContain(type);
    }
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    // Names are masked and chat text never reaches the trail.
    const text = readFileSync(file, 'utf8');
    for (const secret of ['张三', '李四', '王五', '我同意赔偿两千元', '李调解员']) expect(text).not.toContain(secret);
    expect(entries.find((e) => e.type === 'seat.invited' && e.data.seatId === partyA.seatId).data.displayName).toBe('张*');
    expect(entries.find((e) => e.type === 'seat.denied').actor).toEqual({ kind: 'seat', seatId: hostInvite.seatId, role: 'mediator' });

    const verified = await courtlink(s, ['verify-audit', file]);
    expect(verified.stdout).toContain(`head ${entries.at(-1).hash}`);
    expect((verified as { code?: number }).code ?? 0).toBe(0);

    // Edit one entry's data: verify fails and names it.
    const tampered = entries.map((e) => ({ ...e }));
    const victim = tampered.find((e) => e.type === 'seat.removed');
    victim.data = { ...victim.data, seatId: partyA.seatId };
    const tamperedFile = join(work, 'tampered.jsonl');
    writeFileSync(tamperedFile, `${tampered.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const broken = await courtlink(s, ['verify-audit', tamperedFile]);
    expect((broken as { code?: number }).code).toBe(1);
    expect(broken.stdout).toContain(`seq ${victim.seq}`);

    // Server restart, then Redis restart (AOF): the chain is intact and carries on from its head.
    await s.stop();
    server = undefined;
    await redis?.stop();
    s = await start();
    const afterRestart = await fetch(`${s.url}/api/sessions/${sessionId}/audit`, {
      headers: { authorization: `Bearer ${s.tokens.signStaff({ sub: 'auditor', staffRole: 'admin' }, 300)}` },
    });
    expect(afterRestart.headers.get('content-type')).toContain('application/x-ndjson');
    const again = (await afterRestart.text()).trim().split('\n');
    // The same chain, plus what the shutdown itself recorded (disconnects, suspension).
    expect(again.slice(0, lines.length)).toEqual(lines);
    const clerkBack = track(await connect(s, clerk.token));
    const joined = must(await request(clerkBack, 'session:join', {}));
    expect(joined).toMatchObject({ state: 'admitted', you: { host: true } });
    const ended = next(clerkBack, 'session:ended');
    must(await request(clerkBack, 'host:end', {}));
    await ended;
    const finalFile = join(work, 'final.jsonl');
    await courtlink(s, ['audit', 'export', '--session', sessionId, '--out', finalFile]);
    const final = readFileSync(finalFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(final.slice(0, entries.length)).toEqual(entries);
    expect(final[entries.length].prev).toBe(entries.at(-1).hash);
    expect(final.map((e) => e.type)).toEqual(expect.arrayContaining(['session.suspended', 'seat.admitted', 'session.ended']));
    expect(final.at(-1)).toMatchObject({ type: 'session.ended', data: { reason: 'host' } });
    expect(((await courtlink(s, ['verify-audit', finalFile])) as { code?: number }).code ?? 0).toBe(0);
  });
});
