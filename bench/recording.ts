/**
 * bench/recording: what does recording cost?
 *
 * 1. Per-track capture. One VP8 (640x480, 30 fps, ~1 Mbps) and one Opus
 *    source feed a real worker; TRACKS recorders (half video, half audio)
 *    record them at once. CPU is utime+stime from /proc/<pid>/stat over
 *    SECONDS: every recorder ffmpeg, plus the worker's extra CPU compared
 *    with the same sources and no recorders. Printed as a share of one core
 *    per recorded track. Goal: <= 1 % of a core per track.
 * 2. Composite. Three participants (video + audio each) recorded for
 *    SESSION_SECONDS, then the composite (libx264 veryfast + AAC, 30 fps grid)
 *    is built; its ffmpeg CPU seconds per second of session are printed.
 *    Goal: <= 0.25 CPU-s per session-second.
 *
 *   flock /tmp/courtlink-heavy.lock npm run bench:recording   (TRACKS=10 SECONDS=20 SESSION_SECONDS=20)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWorker } from 'mediasoup';
import { buildComposite, loadOrCreateRecordingKey, PortAllocator, SessionRecorder } from '../recordings/index.js';
import { mediaCodecs } from '../server/media/index.js';
import { type RtpSource, startRtpSource } from '../tests/support/rtpSource.js';

const trackCount = Number(process.env.TRACKS ?? 10);
const seconds = Number(process.env.SECONDS ?? 20);
const sessionSeconds = Number(process.env.SESSION_SECONDS ?? 20);
const ticksPerSecond = 100; // USER_HZ on Linux

/** utime + stime of a process in seconds (fields 14 and 15 of /proc/<pid>/stat), or undefined once it is gone. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

const pct = (share: number) => `${(share * 100).toFixed(2)} %`;

const worker = await createWorker({ logLevel: 'warn', rtcMinPort: 40100, rtcMaxPort: 49999 });
const router = await worker.createRouter({ mediaCodecs });
const dataDir = mkdtempSync(join(tmpdir(), 'courtlink-bench-rec-'));
const key = await loadOrCreateRecordingKey({ dataDir });
const ports = new PortAllocator(22000, 22999);
const meta = { seatId: 'seat-bench', maskedName: 'B*', role: 'party', source: 'camera', room: 'joint' };

// Phase 1: capture.
const video = await startRtpSource(router, 'video', { size: '640x480', bitrate: '1M' });
const audio = await startRtpSource(router, 'audio');
await sleep(2000);
let w0 = cpuSeconds(worker.pid) ?? 0;
await sleep(seconds * 1000);
const workerBaseline = ((cpuSeconds(worker.pid) ?? 0) - w0) / seconds;

// A recording takes each producer once, so the tracks are spread over parallel recordings of the same two sources.
const recorders: SessionRecorder[] = [];
for (let i = 0; i < trackCount; i++) {
  if (i % 2 === 0)
    recorders.push(await SessionRecorder.start({ sessionId: `session-bench-${i}`, router, dataDir, ports, signingKey: key.privateKey }));
  await recorders.at(-1)?.addTrack(i % 2 === 0 ? video.producer : audio.producer, meta);
}
await sleep(3000);
const pids = recorders.flatMap((r) => r.tracks.map((t) => t.capturePid)).filter((p): p is number => p !== undefined);
const f0 = pids.map((p) => cpuSeconds(p) ?? 0);
w0 = cpuSeconds(worker.pid) ?? 0;
await sleep(seconds * 1000);
const ffmpegShares = pids.map((p, i) => ((cpuSeconds(p) ?? 0) - (f0[i] ?? 0)) / seconds);
const workerExtra = ((cpuSeconds(worker.pid) ?? 0) - w0) / seconds - workerBaseline;
const manifests = await Promise.all(recorders.map((r) => r.stop('bench')));
await video.stop();
await audio.stop();

const ffmpegTotal = ffmpegShares.reduce((a, b) => a + b, 0);
console.warn(
  `capture: ${pids.length} of ${trackCount} recorders running, ${manifests.reduce((n, m) => n + m.tracks.length, 0)} files, ${seconds} s measured`,
);
console.warn(`  ffmpeg per track: min ${pct(Math.min(...ffmpegShares))}, max ${pct(Math.max(...ffmpegShares))}, all ${pct(ffmpegTotal)}`);
console.warn(
  `  worker extra for ${trackCount} recording consumers: ${pct(workerExtra)} (baseline with sources only ${pct(workerBaseline)})`,
);
console.warn(`  per recorded track (ffmpeg + worker share): ${pct((ffmpegTotal + workerExtra) / trackCount)}   goal <= 1.00 %`);

// Phase 2: composite of three participants.
const sources: RtpSource[] = [];
for (let i = 0; i < 3; i++) {
  sources.push(await startRtpSource(router, 'video', { size: '640x480' }));
  sources.push(await startRtpSource(router, 'audio', { frequency: 300 + 200 * i }));
}
const session = await SessionRecorder.start({ sessionId: 'session-bench-composite', router, dataDir, ports, signingKey: key.privateKey });
for (const s of sources) await session.addTrack(s.producer, meta);
await sleep(sessionSeconds * 1000);
const recorded = await session.stop('bench');
for (const s of sources) await s.stop();
worker.close();

const began = Date.now();
const run = buildComposite(session.dir, key.privateKey, () => {});
let cpu = 0;
const poll = setInterval(() => {
  if (run.pid !== undefined) cpu = cpuSeconds(run.pid) ?? cpu;
}, 50);
const done = await run.done;
clearInterval(poll);
const wall = (Date.now() - began) / 1000;
const sessionS = recorded.durationMs / 1000;
console.warn(
  `composite: ${recorded.tracks.length} tracks, session ${sessionS.toFixed(2)} s → composite ${((done.composite?.durationMs ?? 0) / 1000).toFixed(2)} s`,
);
console.warn(
  `  encode wall ${wall.toFixed(1)} s, CPU ${cpu.toFixed(2)} s (sampled every 50 ms), size ${((done.composite?.bytes ?? 0) / 1e6).toFixed(2)} MB`,
);
console.warn(`  CPU-s per session-second: ${(cpu / sessionS).toFixed(3)}   goal <= 0.25`);
rmSync(dataDir, { recursive: true, force: true });
