import { createHash, type KeyObject, sign } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { compositeFileName, manifestFileName, segmentFilePattern, signatureFileName } from './ids.js';

const ms = z.number().int().min(0);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** Whose track this is and what it carries: shared by the journal and the manifest. */
export const TrackIdentity = z.object({
  trackId: z.string().regex(/^t\d{2,}$/),
  producerId: z.string(),
  seatId: z.string(),
  participant: z.string(),
  role: z.string(),
  kind: z.enum(['audio', 'video']),
  codec: z.enum(['VP8', 'opus']),
  source: z.string(),
  room: z.string(),
});

/** One file of one track. A track that ffmpeg lost mid-way has several, with a gap between them. */
export const ManifestTrack = TrackIdentity.extend({
  segment: z.number().int().min(0),
  /** Milliseconds from the recording's startedAt to the segment's first RTP packet (its t=0). */
  start: ms,
  end: ms,
  file: z.string().regex(segmentFilePattern),
  bytes: z.number().int().min(0),
  sha256,
});
export type ManifestTrack = z.infer<typeof ManifestTrack>;

export const ManifestGap = z.object({
  trackId: z.string(),
  start: ms,
  end: ms,
  reason: z.enum(['recorderCrashed', 'serverStopped']),
});
export type ManifestGap = z.infer<typeof ManifestGap>;

export const ManifestComposite = z.object({
  file: z.literal(compositeFileName),
  bytes: z.number().int().min(0),
  sha256,
  durationMs: ms,
});

export const Manifest = z.object({
  version: z.literal(1),
  sessionId: z.string(),
  recordingId: z.string(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime(),
  durationMs: ms,
  tracks: z.array(ManifestTrack),
  gaps: z.array(ManifestGap),
  composite: ManifestComposite.nullable(),
  /** Head of the session's audit hash chain when the recording was finalized. */
  auditHead: z.string(),
  /** True when the server stopped mid-recording and the files were finalized at the next start. */
  repaired: z.boolean(),
});
export type Manifest = z.infer<typeof Manifest>;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function describeFile(dir: string, file: string): Promise<{ bytes: number; sha256: string }> {
  const path = join(dir, file);
  return { bytes: (await stat(path)).size, sha256: await sha256File(path) };
}

/** manifest.json, then manifest.sig = base64 Ed25519 over manifest.json's exact bytes. Each is written whole or not at all. */
export async function writeSignedManifest(dir: string, manifest: Manifest, key: KeyObject): Promise<void> {
  const bytes = Buffer.from(`${JSON.stringify(Manifest.parse(manifest), null, 2)}\n`);
  const signature = sign(null, bytes, key).toString('base64');
  await writeFile(join(dir, `${manifestFileName}.tmp`), bytes);
  await writeFile(join(dir, `${signatureFileName}.tmp`), `${signature}\n`);
  await rename(join(dir, `${manifestFileName}.tmp`), join(dir, manifestFileName));
  await rename(join(dir, `${signatureFileName}.tmp`), join(dir, signatureFileName));
}

export async function readManifest(dir: string): Promise<Manifest> {
  return Manifest.parse(JSON.parse(await readFile(join(dir, manifestFileName), 'utf8')));
}
