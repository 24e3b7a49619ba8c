import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWorker, type types } from 'mediasoup';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CompositeQueue,
  loadOrCreateRecordingKey,
  type Manifest,
  PortAllocator,
  type PortPair,
  type RecordingKey,
  readManifest,
  repairInterrupted,
  SessionRecorder,
  verifyRecordingDir,
} from '../../recordings/index.js';
import { run as runCli } from '../../server/cli/main.js';
import { mediaCodecs } from '../../server/media/index.js';
import { type RtpSource, startRtpSource } from '../support/rtpSource.js';
import { decodeErrors, probeMedia } from '../support/rtpSourceChecks.js';

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(everyMs);
  }
}

/** Resolves once `count` tracks have their first packet: on a loaded host that can take seconds, so tests time from it. */
function allStarted(recorder: SessionRecorder, count: number): Promise<string[]> {
  const ids: string[] = [];
  return new Promise((resolve) => {
    recorder.on('trackStarted', (t) => {
      ids.push(t.trackId);
      if (ids.length === count) resolve(ids.sort());
    });
  });
}

const meta = (seatId: string) => ({ seatId, maskedName: '张*', role: 'party', source: 'camera', room: 'joint' });

/** Hands out one pair that another socket holds first, so the recorder must meet ffmpeg's bind failure and retry. */
class RacyPorts extends PortAllocator {
  busy: PortPair | undefined;
  markedBusy: PortPair[] = [];
  override async acquire(): Promise<PortPair> {
    const pair = this.busy;
    this.busy = undefined;
    return pair ?? super.acquire();
  }
  override markBusy(pair: PortPair): void {
    this.markedBusy.push(pair);
    super.markBusy(pair);
  }
}

describe('recorder (real worker, real ffmpeg)', () => {
  let worker: types.Worker;
  let router: types.Router;
  let dataDir: string;
  let key: RecordingKey;
  let video: RtpSource;
  let audio: RtpSource;
  const ports = new RacyPorts(21000, 21999);
  const start = (sessionId: string) => SessionRecorder.start({ sessionId, router, dataDir, ports, signingKey: key.privateKey });

  beforeAll(async () => {
    worker = await createWorker({ logLevel: 'warn', rtcMinPort: 40100, rtcMaxPort: 49999 });
    router = await worker.createRouter({ mediaCodecs });
    dataDir = mkdtempSync(join(tmpdir(), 'courtlink-rec-'));
    key = await loadOrCreateRecordingKey({ dataDir });
    video = await startRtpSource(router, 'video');
    audio = await startRtpSource(router, 'audio');
  });
  afterAll(async () => {
    await video?.stop();
    await audio?.stop();
    worker?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let recorded: { dir: string; manifest: Manifest };

  it('records each track into a seekable WebM, retries a busy port pair, and signs a manifest that verifies', async () => {
    const holder = createSocket('udp4');
    holder.bind(21901, '127.0.0.1');
    await once(holder, 'listening');
    ports.busy = { rtp: 21900, rtcp: 21901 };
    const recorder = await start('session-rec-1');
    const started = allStarted(recorder, 3);
    await recorder.addTrack(video.producer, meta('seat-aaaaaaaa'));
    await recorder.addTrack(audio.producer, meta('seat-aaaaaaaa'));
    // A second participant joins a second later: the composite must place it by its own offset.
    await sleep(1000);
    const late = await startRtpSource(router, 'video', { size: '320x180' });
    const lateAddedAt = Date.now() - Date.parse(recorder.startedAt);
    await recorder.addTrack(late.producer, meta('seat-bbbbbbbb'));
    expect(await started).toEqual(['t00', 't01', 't02']);
    // Six seconds: on a loaded machine a track's first keyframe has come three seconds late (1.3 s decoded of 4).
    await sleep(6000);
    const manifest = await recorder.stop('audit-head-1');
    await late.stop();
    holder.close();

    expect(ports.markedBusy).toEqual([{ rtp: 21900, rtcp: 21901 }]);
    expect(ports.allocated).toBe(0);
    expect(manifest.auditHead).toBe('audit-head-1');
    expect(manifest.gaps).toEqual([]);
    expect(manifest.tracks.map((t) => [t.trackId, t.kind, t.codec, t.participant])).toEqual([
      ['t00', 'video', 'VP8', '张*'],
      ['t01', 'audio', 'opus', '张*'],
      ['t02', 'video', 'VP8', '张*'],
    ]);
    const lateTrack = manifest.tracks[2]!;
    expect(lateTrack.start).toBeGreaterThanOrEqual(lateAddedAt);
    for (const track of manifest.tracks) {
      const file = join(recorder.dir, track.file);
      const probe = await probeMedia(file);
      expect(probe.streams).toHaveLength(1);
      expect(probe.durationS).toBeGreaterThanOrEqual((track.end - track.start) / 1000 - 0.05);
      // Wall time was ≥5.5 s per track; a loaded CI machine may hand ffmpeg its first keyframe late, so ask for part of it.
      expect(probe.durationS).toBeGreaterThan(2);
      expect(await decodeErrors(file)).toBe('');
    }
    const verified = await verifyRecordingDir(recorder.dir, key.publicKeyPem);
    expect(verified.failures).toEqual([]);
    expect(verified.ok).toBe(true);
    recorded = { dir: recorder.dir, manifest };
  }, 60_000);

  it('fails verification naming the file when any one byte changes, in a track, the manifest or the signature', async () => {
    const { dir, manifest } = recorded;
    for (const file of [...manifest.tracks.map((t) => t.file), 'manifest.json', 'manifest.sig']) {
      const path = join(dir, file);
      const original = readFileSync(path);
      const flipped = Buffer.from(original);
      const at = file === 'manifest.sig' ? 3 : Math.floor(original.length / 2);
      flipped[at] = (flipped[at] ?? 0) ^ 0x01;
      writeFileSync(path, flipped);
      const result = await verifyRecordingDir(dir, key.publicKey);
      writeFileSync(path, original);
      expect(result.ok).toBe(false);
      const named = result.failures.map((f) => f.file);
      expect(named).toContain(file === 'manifest.sig' ? 'manifest.json' : file);
    }
    expect((await verifyRecordingDir(dir, key.publicKey)).ok).toBe(true);
  });

  it('`courtlink verify <dir>` prints ok for each file, and fails naming the altered one', async () => {
    const keyFile = join(dataDir, 'recording-public.pem');
    writeFileSync(keyFile, key.publicKeyPem);
    const lines: string[] = [];
    await runCli(['verify', recorded.dir, '--key', keyFile], (l) => lines.push(l));
    expect(lines.filter((l) => l.startsWith('ok'))).toHaveLength(recorded.manifest.tracks.length + 2);
    const victim = join(recorded.dir, recorded.manifest.tracks[1]!.file);
    const original = readFileSync(victim);
    writeFileSync(victim, Buffer.concat([original, Buffer.from([0])]));
    const failing: string[] = [];
    await expect(runCli(['verify', recorded.dir, '--key', keyFile], (l) => failing.push(l))).rejects.toThrow(
      recorded.manifest.tracks[1]!.file,
    );
    writeFileSync(victim, original);
    expect(failing.filter((l) => l.startsWith('FAIL'))).toEqual([expect.stringContaining(recorded.manifest.tracks[1]!.file)]);
  });

  it('the composite job survives a killed consumer: a new consumer claims it, builds an aligned MP4 and re-signs the manifest', async () => {
    const redis = createClient({ url: inject('redisUrl') });
    await redis.connect();
    const stream = `courtlink:test:composite:${Date.now()}`;
    const options = { redis, dataDir, key: key.privateKey, stream };
    const first = new CompositeQueue({ ...options, consumer: 'node-a' });
    const sessionId = 'session-rec-1';
    await first.enqueue(sessionId, recorded.manifest.recordingId);
    expect((await first.progress(recorded.manifest.recordingId))?.state).toBe('queued');
    await first.start();
    // The encode of this short recording takes well under a second: kill it as soon as it runs.
    await until(() => first.currentPid !== undefined, 10_000, 5);
    await first.stop(); // kills ffmpeg mid-way; the entry stays pending in the group
    const pending = await redis.xPending(stream, 'composers');
    expect(pending.pending).toBe(1);
    expect(existsSync(join(recorded.dir, 'composite.mp4'))).toBe(false);

    const second = new CompositeQueue({ ...options, consumer: 'node-b', claimIdleMs: 100 });
    await second.start();
    const seen = new Set<string>();
    await until(async () => {
      const p = await second.progress(recorded.manifest.recordingId);
      if (p) seen.add(p.state);
      return p?.state === 'done';
    }, 60_000);
    await second.stop();
    expect((await redis.xPending(stream, 'composers')).pending).toBe(0);
    await redis.quit();

    const manifest = await readManifest(recorded.dir);
    expect(manifest.composite?.file).toBe('composite.mp4');
    const probe = await probeMedia(join(recorded.dir, 'composite.mp4'));
    expect(probe.streams.map((st) => `${st.codec_type}:${st.codec_name}`).sort()).toEqual(['audio:aac', 'video:h264']);
    expect(Math.abs(probe.durationS * 1000 - manifest.durationMs)).toBeLessThan(1000);
    expect(await decodeErrors(join(recorded.dir, 'composite.mp4'))).toBe('');
    const verified = await verifyRecordingDir(recorded.dir, key.publicKey);
    expect(verified.failures).toEqual([]);
    expect(verified.checked).toContain('composite.mp4');
  }, 90_000);

  it('stop finalizes the file even when no RTP is arriving (producer paused)', async () => {
    const recorder = await start('session-rec-2');
    const started = allStarted(recorder, 1);
    await recorder.addTrack(video.producer, meta('seat-aaaaaaaa'));
    await started;
    await sleep(2500);
    await video.producer.pause();
    await sleep(1000);
    const began = Date.now();
    const manifest = await recorder.stop('audit-head-2');
    const took = Date.now() - began;
    await video.producer.resume();
    expect(took).toBeLessThan(16_000);
    const [track] = manifest.tracks;
    expect(track).toBeDefined();
    const probe = await probeMedia(join(recorder.dir, track!.file));
    expect(probe.durationS).toBeGreaterThan(1.5);
    expect(await decodeErrors(join(recorder.dir, track!.file))).toBe('');
  }, 60_000);

  it('an ffmpeg crash mid-recording starts a new segment and records the gap', async () => {
    const recorder = await start('session-rec-3');
    const started = allStarted(recorder, 2);
    await recorder.addTrack(video.producer, meta('seat-aaaaaaaa'));
    await recorder.addTrack(audio.producer, meta('seat-aaaaaaaa'));
    await started;
    await sleep(2500);
    const victim = recorder.tracks[0]!;
    const gap = once(recorder, 'gap');
    process.kill(victim.capturePid!, 'SIGKILL');
    const [reported] = (await gap) as [{ trackId: string; start: number; end: number }];
    expect(reported.trackId).toBe('t00');
    await sleep(2500);
    const manifest = await recorder.stop('audit-head-3');
    const segments = manifest.tracks.filter((t) => t.trackId === 't00');
    expect(segments.map((s) => s.segment)).toEqual([0, 1]);
    expect(manifest.gaps).toEqual([{ trackId: 't00', start: segments[0]!.end, end: segments[1]!.start, reason: 'recorderCrashed' }]);
    expect(segments[1]!.start).toBeGreaterThan(segments[0]!.end);
    for (const s of segments) {
      expect((await probeMedia(join(recorder.dir, s.file))).durationS).toBeGreaterThan(0.5);
      expect(await decodeErrors(join(recorder.dir, s.file))).toBe('');
    }
    expect((await verifyRecordingDir(recorder.dir, key.publicKey)).ok).toBe(true);
  }, 60_000);

  it('a server stop mid-recording is repaired at the next start, with the interruption in the manifest', async () => {
    const recorder = await start('session-rec-4');
    const started = allStarted(recorder, 2);
    await recorder.addTrack(video.producer, meta('seat-aaaaaaaa'));
    await recorder.addTrack(audio.producer, meta('seat-aaaaaaaa'));
    await started;
    await sleep(3000);
    recorder.abandon(); // SIGKILL ffmpeg and drop the in-memory recorder: what a process death leaves
    await sleep(300);
    const [manifest, ...others] = await repairInterrupted(dataDir, { key: key.privateKey, auditHead: (s) => `head-of-${s}` });
    expect(others).toEqual([]);
    expect(manifest?.recordingId).toBe(recorder.recordingId);
    expect(manifest?.repaired).toBe(true);
    expect(manifest?.auditHead).toBe('head-of-session-rec-4');
    expect(manifest?.tracks.map((t) => t.trackId)).toEqual(['t00', 't01']);
    expect(manifest?.gaps.map((g) => [g.trackId, g.reason])).toEqual([
      ['t00', 'serverStopped'],
      ['t01', 'serverStopped'],
    ]);
    for (const t of manifest?.tracks ?? []) {
      const probe = await probeMedia(join(recorder.dir, t.file));
      // A SIGKILL loses up to about a second (the last cluster); -flush_packets and -cluster_time_limit keep the rest.
      expect(probe.durationS).toBeGreaterThan(1.5);
      expect(await decodeErrors(join(recorder.dir, t.file))).toBe('');
    }
    expect((await verifyRecordingDir(recorder.dir, key.publicKey)).ok).toBe(true);
    // Run again: nothing left to repair.
    expect(await repairInterrupted(dataDir, { key: key.privateKey, auditHead: () => 'x' })).toEqual([]);
  }, 60_000);
});
