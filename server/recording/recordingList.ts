import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  type CompositeState,
  compositeFileName,
  isRecordingId,
  isSessionId,
  manifestFileName,
  readJournal,
  readManifest,
  recordingDir,
  recordingsRoot,
  signatureFileName,
} from '../../recordings/index.js';

/** One recording as the list shows it: tracks with masked names, and the composite's progress. */
export const RecordingEntry = z.object({
  recordingId: z.string(),
  state: z.enum(['recording', 'finalized']),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  durationMs: z.number().optional(),
  repaired: z.boolean().optional(),
  gaps: z.array(z.object({ trackId: z.string(), start: z.number(), end: z.number(), reason: z.string() })),
  tracks: z.array(
    z.object({
      trackId: z.string(),
      participant: z.string(),
      role: z.string(),
      kind: z.enum(['audio', 'video']),
      source: z.string(),
      room: z.string(),
      segment: z.number(),
      start: z.number(),
      end: z.number(),
      file: z.string(),
      bytes: z.number(),
    }),
  ),
  composite: z.object({
    state: z.enum(['none', 'queued', 'running', 'done', 'failed']),
    percent: z.number(),
    etaSeconds: z.number().optional(),
    file: z.string().optional(),
  }),
});
export type RecordingEntry = z.infer<typeof RecordingEntry>;

export type CompositeProgressOf = (recordingId: string) => Promise<CompositeState | undefined>;

/** The session's recordings on disk, newest first. Directory names are checked against the id patterns before use. */
export async function listRecordings(dataDir: string, sessionId: string, progressOf: CompositeProgressOf): Promise<RecordingEntry[]> {
  if (!isSessionId(sessionId)) return [];
  const entries = await readdir(join(recordingsRoot(dataDir), sessionId), { withFileTypes: true }).catch(() => []);
  const list: RecordingEntry[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !isRecordingId(entry.name)) continue;
    const dir = recordingDir(dataDir, sessionId, entry.name);
    const described = await describe(dir, entry.name, progressOf);
    if (described) list.push(described);
  }
  return list.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

async function describe(dir: string, recordingId: string, progressOf: CompositeProgressOf): Promise<RecordingEntry | undefined> {
  const manifest = await readManifest(dir).catch(() => undefined);
  const progress = await progressOf(recordingId);
  if (manifest) {
    const composite = manifest.composite
      ? { state: 'done' as const, percent: 100, etaSeconds: 0, file: manifest.composite.file }
      : progress
        ? {
            state: progress.state,
            percent: progress.percent,
            ...(progress.etaSeconds === undefined ? {} : { etaSeconds: progress.etaSeconds }),
          }
        : { state: 'none' as const, percent: 0 };
    return {
      recordingId,
      state: 'finalized',
      startedAt: manifest.startedAt,
      endedAt: manifest.endedAt,
      durationMs: manifest.durationMs,
      repaired: manifest.repaired,
      gaps: manifest.gaps,
      tracks: manifest.tracks.map(({ trackId, participant, role, kind, source, room, segment, start, end, file, bytes }) => ({
        trackId,
        participant,
        role,
        kind,
        source,
        room,
        segment,
        start,
        end,
        file,
        bytes,
      })),
      composite,
    };
  }
  const journal = await readJournal(dir);
  if (!journal) return undefined;
  return {
    recordingId,
    state: 'recording',
    startedAt: journal.startedAt,
    gaps: journal.gaps,
    tracks: [],
    composite: { state: 'none', percent: 0 },
  };
}

/** The files of a finalized recording a caller may fetch: exactly those the manifest names, and the manifest itself. */
export async function servableFiles(dir: string): Promise<Set<string> | undefined> {
  const manifest = await readManifest(dir).catch(() => undefined);
  if (!manifest) return undefined;
  const names = new Set([manifestFileName, signatureFileName, ...manifest.tracks.map((t) => t.file)]);
  if (manifest.composite) names.add(compositeFileName);
  return names;
}

/** Finds which session a recording belongs to (recording ids are unique per server). */
export async function sessionOfRecording(dataDir: string, recordingId: string): Promise<string | undefined> {
  if (!isRecordingId(recordingId)) return undefined;
  const sessions = await readdir(recordingsRoot(dataDir), { withFileTypes: true }).catch(() => []);
  for (const s of sessions) {
    if (!s.isDirectory() || !isSessionId(s.name)) continue;
    const inside = await readdir(join(recordingsRoot(dataDir), s.name)).catch(() => [] as string[]);
    if (inside.includes(recordingId)) return s.name;
  }
  return undefined;
}
