import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { journalFileName } from './ids.js';
import { ManifestGap, TrackIdentity } from './manifest.js';

/**
 * The recorder's running notes, rewritten (atomically) at every segment start,
 * segment end and gap. When the process dies mid-recording this is what the
 * next start reads to finalize the files and write the manifest.
 */
export const JournalSegment = z.object({
  segment: z.number().int().min(0),
  file: z.string(),
  start: z.number().int().min(0).optional(),
  end: z.number().int().min(0).optional(),
});
export type JournalSegment = z.infer<typeof JournalSegment>;

export const JournalTrack = TrackIdentity.extend({ segments: z.array(JournalSegment) });
export type JournalTrack = z.infer<typeof JournalTrack>;

export const Journal = z.object({
  sessionId: z.string(),
  recordingId: z.string(),
  startedAt: z.iso.datetime(),
  state: z.enum(['recording', 'finalized']),
  tracks: z.array(JournalTrack),
  gaps: z.array(ManifestGap),
});
export type Journal = z.infer<typeof Journal>;

export async function writeJournal(dir: string, journal: Journal): Promise<void> {
  const tmp = join(dir, `${journalFileName}.tmp`);
  await writeFile(tmp, JSON.stringify(journal, null, 2));
  await rename(tmp, join(dir, journalFileName));
}

export async function readJournal(dir: string): Promise<Journal | undefined> {
  try {
    return Journal.parse(JSON.parse(await readFile(join(dir, journalFileName), 'utf8')));
  } catch {
    return undefined;
  }
}
