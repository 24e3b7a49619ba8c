import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../recordings/index.js';
import { run as runCli } from '../../server/cli/main.js';
import type { RtpSource } from '../support/rtpSource.js';
import { startTestServer, type TestServer, testJwtSecret } from '../support/server.js';
import { auditOf, readJson, recordingPath, seatSource, until } from '../support/sessionRecording.js';
import { codeOf, createSession, invite, joinAdmitted, must, request, useSockets } from '../support/signaling.js';

const sources: RtpSource[] = [];
afterAll(async () => {
  await Promise.all(sources.map((s) => s.stop()));
});

/** Waits for the (first) recording.stopped audit event: the manifest is signed by then. */
async function stoppedEvent(server: TestServer, sessionId: string): Promise<{ recordingId: string; manifestSha256: string }> {
  const [event] = await until(async () => {
    const events = await auditOf(server, sessionId, 'recording.stopped');
    return events.length > 0 && events;
  }, 30_000);
  return event?.data as { recordingId: string; manifestSha256: string };
}

async function getFile(server: TestServer, recordingId: string, name: string, token: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/recordings/${recordingId}/files/${name}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
}

describe('recording wired into a session', () => {
  let server: TestServer;
  const track = useSockets();
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('records the joint room, a caucus only once turned on, refuses a party, and serves the files to host and staff only', async () => {
    const sessionId = await createSession(server);
    const hostInvite = await invite(server, sessionId, 'mediator', '王调解');
    const partyInvite = await invite(server, sessionId, 'party', '张三');
    const host = track(await joinAdmitted(server, undefined, hostInvite));
    const party = track(await joinAdmitted(server, host, partyInvite));
    const session = await server.sessions.require(sessionId);

    expect(codeOf(await request(party, 'record:start', {}))).toBe('FORBIDDEN');
    expect(codeOf(await request(host, 'record:stop', {}))).toBe('CONFLICT');

    const hostVideo = await seatSource(session, hostInvite.seatId, 'video');
    const partyAudio = await seatSource(session, partyInvite.seatId, 'audio');
    sources.push(hostVideo, partyAudio);
    const { recordingId } = must(await request(host, 'record:start', {}));
    expect(session.summary.recording).toBe(true);
    expect(codeOf(await request(host, 'record:start', {}))).toBe('CONFLICT');
    await until(() => session.recording.recordedProducers().length === 2, 10_000);
    await until(async () => (await auditOf(server, sessionId, 'recording.segment')).length >= 2, 30_000);

    // Into a caucus: the party's microphone leaves the recording.
    const { roomId } = must(await request(host, 'caucus:open', { name: '申请人' }));
    must(await request(host, 'caucus:move', { seatIds: [partyInvite.seatId], roomId }));
    await until(() => session.recording.recordedProducers().length === 1, 5000);
    expect(session.recording.recordedProducers()).toEqual([hostVideo.producer.id]);
    expect(codeOf(await request(party, 'caucus:setRecording', { roomId, recorded: true }))).toBe('FORBIDDEN');
    // The host turns recording on for the caucus: the same producer comes back as a new track.
    must(await request(host, 'caucus:setRecording', { roomId, recorded: true }));
    expect(session.summary.caucuses.find((c) => c.id === roomId)?.recorded).toBe(true);
    await until(() => session.recording.recordedProducers().length === 2, 5000);
    await until(async () => (await auditOf(server, sessionId, 'recording.segment')).length >= 3, 30_000);

    expect(must(await request(host, 'record:stop', {})).recordingId).toBe(recordingId);
    const stopped = await stoppedEvent(server, sessionId);
    expect(stopped.recordingId).toBe(recordingId);
    expect(session.summary.recording).toBe(false);
    const manifestPath = recordingPath(server, sessionId, recordingId, 'manifest.json');
    expect(createHash('sha256').update(readFileSync(manifestPath)).digest('hex')).toBe(stopped.manifestSha256);
    const manifest = await readJson<Manifest>(manifestPath);
    const partyRooms = manifest.tracks.filter((t) => t.seatId === partyInvite.seatId).map((t) => t.room);
    expect(partyRooms).toEqual(['joint', roomId]);
    expect(manifest.tracks.every((t) => t.participant !== '张三' && t.participant !== '王调解')).toBe(true);
    const stopEvents = await auditOf(server, sessionId, 'recording.stopped');
    expect(stopEvents.map((e) => e.data)).toEqual([{ recordingId, manifestSha256: stopped.manifestSha256 }]);
    expect((await auditOf(server, sessionId, 'recording.started')).length).toBe(1);

    // Listing: the host seat yes, the party seat no, another session's host not at all.
    const list = await fetch(`${server.url}/api/sessions/${sessionId}/recordings`, {
      headers: { authorization: `Bearer ${hostInvite.token}` },
    });
    expect(list.status).toBe(200);
    const { recordings } = (await list.json()) as {
      recordings: { recordingId: string; tracks: unknown[]; composite: { state: string } }[];
    };
    expect(recordings.map((r) => r.recordingId)).toEqual([recordingId]);
    expect(recordings[0]?.tracks.length).toBe(manifest.tracks.length);
    expect(['queued', 'running', 'done']).toContain(recordings[0]?.composite.state);
    // The CLI prints the same list (an unscoped administrator token, signed with the server's secret).
    const cliEnv = { COURTLINK_URL: server.url, JWT_SECRET: testJwtSecret, DATA_DIR: server.dataDir };
    const savedEnv = Object.fromEntries(Object.keys(cliEnv).map((k) => [k, process.env[k]]));
    const lines: string[] = [];
    Object.assign(process.env, cliEnv);
    try {
      await runCli(['recording', 'list', '--session', sessionId], (l) => lines.push(l));
    } finally {
      for (const [k, v] of Object.entries(savedEnv))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    expect(lines[0]).toMatch(new RegExp(`^${recordingId}\tfinalized\t`));
    expect(lines.filter((l) => l.startsWith('  ')).length).toBe(manifest.tracks.length);
    const asParty = await fetch(`${server.url}/api/sessions/${sessionId}/recordings`, {
      headers: { authorization: `Bearer ${partyInvite.token}` },
    });
    expect(asParty.status).toBe(403);
    const other = await createSession(server);
    const otherHost = await invite(server, other, 'mediator', '李调解');
    expect((await getFile(server, recordingId, 'manifest.json', otherHost.token)).status).toBe(404);
    expect((await getFile(server, recordingId, 'manifest.json', partyInvite.token)).status).toBe(403);
    const lawyer = server.tokens.signStaff({ sub: 'lawyer-1', staffRole: 'lawyer', orgId: 'org-x' }, 600);
    expect((await getFile(server, recordingId, 'manifest.json', lawyer)).status).toBe(403);

    // Files: whole, a range, a malformed range, a name the manifest does not give.
    const whole = await getFile(server, recordingId, 'manifest.json', hostInvite.token);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(readFileSync(manifestPath))).toBe(true);
    const file = manifest.tracks[0]?.file as string;
    const ranged = await getFile(server, recordingId, file, hostInvite.token, { range: 'bytes=0-99' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toMatch(/^bytes 0-99\/\d+$/);
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);
    expect(
      Buffer.from(await (await getFile(server, recordingId, file, hostInvite.token)).arrayBuffer())
        .subarray(0, 4)
        .toString('hex'),
    ).toBe('1a45dfa3');
    for (const range of ['bytes=abc', 'bytes=99999999-', 'bytes=5-2']) {
      const bad = await getFile(server, recordingId, file, hostInvite.token, { range });
      expect(bad.status, range).toBe(416);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('RANGE_NOT_SATISFIABLE');
    }
    expect((await getFile(server, recordingId, 'journal.json', hostInvite.token)).status).toBe(404);
    expect((await getFile(server, recordingId, '..%2F..%2Fsecrets', hostInvite.token)).status).toBe(400);
    const key = await fetch(`${server.url}/api/keys/recording`);
    expect(await key.text()).toContain('BEGIN PUBLIC KEY');
  }, 120_000);

  it('a visit is recorded from going live to its end, and nobody can stop it', async () => {
    const sessionId = await createSession(server, 'visit', '远程会见');
    const officer = await invite(server, sessionId, 'correctional_officer', '赵警官');
    const family = await invite(server, sessionId, 'family', '钱家属');
    const host = track(await joinAdmitted(server, undefined, officer));
    const session = await server.sessions.require(sessionId);
    await until(() => session.summary.recording, 10_000);
    sources.push(await seatSource(session, officer.seatId, 'audio'));
    // A family member's link works only once the officer has approved them.
    await session.approveFamily({ kind: 'seat', seatId: officer.seatId, role: 'correctional_officer' }, family.seatId);
    const relative = track(await joinAdmitted(server, host, family));
    expect(codeOf(await request(host, 'record:stop', {}))).toBe('RECORDING_FORCED');
    expect(codeOf(await request(relative, 'record:stop', {}))).toBe('FORBIDDEN');
    expect(codeOf(await request(host, 'record:start', {}))).toBe('RECORDING_FORCED');
    await until(async () => (await auditOf(server, sessionId, 'recording.segment')).length >= 1, 20_000);
    const recordingId = session.recording.recordingId as string;
    must(await request(host, 'host:end', {}));
    const [stopped] = await until(async () => {
      const events = await auditOf(server, sessionId, 'recording.stopped');
      return events.length > 0 && events;
    }, 30_000);
    expect(stopped?.data.recordingId).toBe(recordingId);
    expect(existsSync(recordingPath(server, sessionId, recordingId, 'manifest.sig'))).toBe(true);
    expect(session.summary.recording).toBe(false);
  }, 90_000);

  it('ffmpeg killed mid-recording gives a new segment and a gap in the audit trail', async () => {
    const sessionId = await createSession(server);
    const hostInvite = await invite(server, sessionId, 'mediator', '孙调解');
    const host = track(await joinAdmitted(server, undefined, hostInvite));
    const session = await server.sessions.require(sessionId);
    sources.push(await seatSource(session, hostInvite.seatId, 'video'));
    must(await request(host, 'record:start', {}));
    await until(async () => (await auditOf(server, sessionId, 'recording.segment')).length >= 1, 20_000);
    // Some seconds in the file first, as a real crash would find; a file killed before its first cluster is dropped.
    await new Promise((r) => setTimeout(r, 3000));
    const pid = await until(() => session.recording.recorder?.tracks[0]?.capturePid, 5000);
    process.kill(pid, 'SIGKILL');
    await until(async () => (await auditOf(server, sessionId, 'recording.segment')).length >= 2, 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    const [gap] = await auditOf(server, sessionId, 'recording.gap');
    expect(gap?.data).toMatchObject({ trackId: 't00', reason: 'recorderCrashed' });
    must(await request(host, 'record:stop', {}));
    const stopped = await stoppedEvent(server, sessionId);
    const manifest = await readJson<Manifest>(recordingPath(server, sessionId, stopped.recordingId, 'manifest.json'));
    expect(manifest.tracks.map((t) => t.segment)).toEqual([0, 1]);
    expect(manifest.gaps.map((g) => g.reason)).toEqual(['recorderCrashed']);
  }, 90_000);
});

describe('a server that dies mid-recording', () => {
  it('leaves files that the next start repairs, says so in the manifest and the audit trail, and composites them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtlink-rec-restart-'));
    let first: TestServer | undefined;
    let second: TestServer | undefined;
    try {
      first = await startTestServer({}, { dataDir });
      const sessionId = await createSession(first);
      const hostInvite = await invite(first, sessionId, 'mediator', '周调解');
      const host = await joinAdmitted(first, undefined, hostInvite);
      const session = await first.sessions.require(sessionId);
      const source = await seatSource(session, hostInvite.seatId, 'video');
      sources.push(source);
      const { recordingId } = must(await request(host, 'record:start', {}));
      await until(async () => (await auditOf(first as TestServer, sessionId, 'recording.segment')).length >= 1, 20_000);
      await new Promise((r) => setTimeout(r, 3000));
      // What a SIGKILL leaves: ffmpeg killed, nothing finalized, the journal still says "recording".
      session.recording.recorder?.abandon();
      host.close();
      await source.stop();
      await first.stop();
      first = undefined;
      expect(existsSync(recordingPath({ dataDir } as TestServer, sessionId, recordingId, 'manifest.json'))).toBe(false);

      second = await startTestServer({}, { dataDir });
      const manifest = await readJson<Manifest>(recordingPath(second, sessionId, recordingId, 'manifest.json'));
      expect(manifest.repaired).toBe(true);
      expect(manifest.gaps.map((g) => g.reason)).toContain('serverStopped');
      expect(manifest.tracks[0]?.end).toBeGreaterThan(1000);
      const reloaded = await second.sessions.require(sessionId);
      expect(reloaded.summary.recording).toBe(false);
      expect((await auditOf(second, sessionId, 'recording.interrupted')).length).toBe(1);
      // The repaired recording's composite is queued at start-up and made by this process.
      const done = await until(
        async () => (await readJson<Manifest>(recordingPath(second as TestServer, sessionId, recordingId, 'manifest.json'))).composite,
        60_000,
        500,
      );
      expect(done?.file).toBe('composite.mp4');
    } finally {
      await first?.stop();
      await second?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
