import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compositeArgs } from '../../recordings/compositeGraph.js';
import { isRecordingId, type Manifest, newRecordingId, recordingDir, verifyRecordingDir } from '../../recordings/index.js';
import { writeSignedManifest } from '../../recordings/manifest.js';
import { type ConfigError, loadConfig } from '../../server/config/index.js';

const track = (over: Partial<Manifest['tracks'][number]>): Manifest['tracks'][number] => ({
  trackId: 't00',
  segment: 0,
  producerId: 'p',
  seatId: 'seat-aaaaaaaa',
  participant: '张*',
  role: 'party',
  kind: 'video',
  codec: 'VP8',
  source: 'camera',
  room: 'joint',
  start: 0,
  end: 1000,
  file: 'video-00-00.webm',
  bytes: 0,
  sha256: '0'.repeat(64),
  ...over,
});

const manifest = (tracks: Manifest['tracks']): Manifest => ({
  version: 1,
  sessionId: 'session-unit',
  recordingId: newRecordingId(),
  startedAt: new Date(0).toISOString(),
  endedAt: new Date(10_000).toISOString(),
  durationMs: 10_000,
  tracks,
  gaps: [],
  composite: null,
  auditHead: 'head',
  repaired: false,
});

describe('recording layout', () => {
  it('makes ids that match the strict pattern and refuses to build a directory from anything else', () => {
    const id = newRecordingId();
    expect(isRecordingId(id)).toBe(true);
    expect(recordingDir('/data', 'session-unit', id)).toBe(`/data/recordings/session-unit/${id}`);
    expect(() => recordingDir('/data', '../../etc', id)).toThrow();
    expect(() => recordingDir('/data', 'session-unit', '../rec_aaaaaaaaaaaaaaaaaaaa')).toThrow();
    expect(() => recordingDir('/data', 'session-unit', 'rec_AAAAAAAAAAAAAAAAAAAA')).toThrow();
  });

  it('verification refuses a manifest that names a file outside the directory, even when correctly signed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'courtlink-rec-unit-'));
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const m = manifest([track({})]);
    await writeSignedManifest(dir, m, privateKey);
    writeFileSync(join(dir, 'video-00-00.webm'), '');
    expect((await verifyRecordingDir(dir, publicKey)).failures).toEqual([{ file: 'video-00-00.webm', reason: 'SHA-256 does not match' }]);
    const forged = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    forged.tracks[0].file = '../../secrets/recording-ed25519.pem';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(forged));
    const result = await verifyRecordingDir(dir, publicKey);
    expect(result.ok).toBe(false);
    expect(result.failures.map((f) => f.reason)).toEqual(['signature does not match', 'not a valid manifest']);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('composite graph', () => {
  it('places each track at its recorded offset, joins segments across a gap and mixes every audio segment', () => {
    const args = compositeArgs(
      manifest([
        track({ trackId: 't00', start: 100, end: 4000 }),
        track({ trackId: 't00', segment: 1, start: 5500, end: 9000, file: 'video-00-01.webm' }),
        track({ trackId: 't01', kind: 'audio', codec: 'opus', start: 250, end: 9000, file: 'audio-01-00.webm' }),
        track({ trackId: 't02', start: 2000, end: 9000, file: 'video-02-00.webm' }),
      ]),
      (name) => `/r/${name}`,
    );
    const graph = args[args.indexOf('-filter_complex') + 1] ?? '';
    expect(args.filter((a) => a.startsWith('/r/'))).toEqual([
      '/r/video-00-00.webm',
      '/r/video-00-01.webm',
      '/r/video-02-00.webm',
      '/r/audio-01-00.webm',
    ]);
    expect(graph).toContain('tpad=start_duration=0.100:color=black[v0]');
    expect(graph).toContain('tpad=start_duration=1.500:color=black[v1]'); // the gap 4000 → 5500
    expect(graph).toContain('[v0][v1]concat=n=2:v=1:a=0[tile0]');
    expect(graph).toContain('tpad=start_duration=2.000:color=black[v2]');
    expect(graph).toContain('xstack=inputs=2:layout=0_0|320_0');
    expect(graph).toContain('asetpts=PTS-STARTPTS+0.250/TB,aresample=async=1:first_pts=0');
    expect(args.slice(-2)).toEqual(['-t', '10.000']);
    // -reinit_filter 0 before each video input: a simulcast size change must not rebuild the graph.
    expect(args.filter((a) => a === '-reinit_filter')).toHaveLength(3);
  });
});

describe('recording ports in the configuration', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      return (err as ConfigError).problems;
    }
  };

  it('defaults to a range below the RTC and ephemeral ranges', () => {
    expect(loadConfig({}).recording).toEqual({ minPort: 20000, maxPort: 20999, signingKeyPath: undefined });
  });

  it('refuses a recorder range that overlaps the workers’ RTC ports', () => {
    expect(problems({ RECORDING_MIN_PORT: '40050', RECORDING_MAX_PORT: '40150' }).join()).toMatch(/overlaps RTC_MIN_PORT\.\.RTC_MAX_PORT/);
    expect(problems({ RECORDING_MIN_PORT: '39990', RECORDING_MAX_PORT: '40001', MEDIA_WORKERS: '2' }).join()).toMatch(
      /overlaps RTC_PORT\+N/,
    );
  });

  it('refuses a range inside the kernel’s ephemeral ports', () => {
    const [min] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const start = (min ?? 32768) + 10;
    expect(problems({ RECORDING_MIN_PORT: String(start), RECORDING_MAX_PORT: String(start + 50) }).join()).toMatch(/ephemeral/);
  });
});
