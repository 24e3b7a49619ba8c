import type { KeyObject } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finalizeRecording } from './finalize.js';
import { isRecordingId, isSessionId, recordingsRoot, segmentFilePattern } from './ids.js';
import { readJournal } from './journal.js';
import type { Manifest } from './manifest.js';
import { type RecorderLog, silentLog } from './recorderLog.js';
import { probeDuration, remuxInPlace } from './remux.js';

async function subdirs(dir: string, accept: (name: string) => boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && accept(e.name)).map((e) => e.name);
}

/**
 * Run once at start-up, before new recordings begin. Every recording whose
 * journal still says "recording" was cut off by a process death: its files
 * are remuxed (restoring Cues and Duration), each track's cut-off is recorded
 * as a `serverStopped` gap up to now, and the signed manifest is written.
 */
export async function repairInterrupted(
  dataDir: string,
  opts: { key: KeyObject; auditHead: (sessionId: string) => Promise<string> | string; log?: RecorderLog },
): Promise<Manifest[]> {
  const log = opts.log ?? silentLog;
  const repaired: Manifest[] = [];
  const root = recordingsRoot(dataDir);
  for (const sessionId of await subdirs(root, isSessionId)) {
    for (const recordingId of await subdirs(join(root, sessionId), isRecordingId)) {
      const dir = join(root, sessionId, recordingId);
      const journal = await readJournal(dir);
      if (journal?.state !== 'recording') continue;
      const now = Date.now();
      const nowOffset = Math.max(0, now - Date.parse(journal.startedAt));
      for (const name of await readdir(dir)) if (name.endsWith('.sdp')) await rm(join(dir, name), { force: true });
      for (const track of journal.tracks) {
        const kept = [];
        for (const seg of track.segments) {
          if (!segmentFilePattern.test(seg.file)) continue;
          const path = join(dir, seg.file);
          if (seg.start === undefined) {
            await rm(path, { force: true });
            continue;
          }
          if (seg.end === undefined) {
            const seconds = (await remuxInPlace(path)) ? await probeDuration(path) : undefined;
            if (seconds === undefined) continue;
            seg.end = seg.start + Math.round(seconds * 1000);
            journal.gaps.push({ trackId: track.trackId, start: seg.end, end: Math.max(seg.end, nowOffset), reason: 'serverStopped' });
          }
          kept.push(seg);
        }
        track.segments = kept;
      }
      const manifest = await finalizeRecording({
        dir,
        journal,
        endedAtMs: now,
        auditHead: await opts.auditHead(sessionId),
        repaired: true,
        key: opts.key,
      });
      log.warn({ sessionId, recordingId, gaps: manifest.gaps.length }, 'interrupted recording repaired');
      repaired.push(manifest);
    }
  }
  return repaired;
}
