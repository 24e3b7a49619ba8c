import type { KeyObject } from 'node:crypto';
import { type Journal, writeJournal } from './journal.js';
import { describeFile, type Manifest, type ManifestTrack, writeSignedManifest } from './manifest.js';

/** Journal → manifest: every finished segment with its size and hash, every gap, the audit head; then signed. */
export async function finalizeRecording(opts: {
  dir: string;
  journal: Journal;
  endedAtMs: number;
  auditHead: string;
  repaired: boolean;
  key: KeyObject;
}): Promise<Manifest> {
  const { dir, journal } = opts;
  const tracks: ManifestTrack[] = [];
  for (const track of journal.tracks) {
    for (const seg of track.segments) {
      if (seg.start === undefined || seg.end === undefined) continue;
      const { segments: _segments, ...who } = track;
      tracks.push({ ...who, segment: seg.segment, start: seg.start, end: seg.end, file: seg.file, ...(await describeFile(dir, seg.file)) });
    }
  }
  const startedAtMs = Date.parse(journal.startedAt);
  const manifest: Manifest = {
    version: 1,
    sessionId: journal.sessionId,
    recordingId: journal.recordingId,
    startedAt: journal.startedAt,
    endedAt: new Date(opts.endedAtMs).toISOString(),
    durationMs: Math.max(0, opts.endedAtMs - startedAtMs),
    tracks,
    gaps: journal.gaps,
    composite: null,
    auditHead: opts.auditHead,
    repaired: opts.repaired,
  };
  await writeSignedManifest(dir, manifest, opts.key);
  journal.state = 'finalized';
  await writeJournal(dir, journal);
  return manifest;
}
