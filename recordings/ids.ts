import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * Recording ids are made here, never taken from a request. Session ids come
 * from the session core, but they are checked again before they name a
 * directory, so no path is ever built from unchecked text.
 */
export const recordingIdPattern = /^rec_[a-z2-7]{20}$/;
export const sessionIdPattern = /^[A-Za-z0-9_-]{8,64}$/;

const base32 = 'abcdefghijklmnopqrstuvwxyz234567';

export function newRecordingId(): string {
  const bytes = randomBytes(20);
  let id = 'rec_';
  for (const b of bytes) id += base32[b & 31];
  return id;
}

export function isRecordingId(value: unknown): value is string {
  return typeof value === 'string' && recordingIdPattern.test(value);
}

export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && sessionIdPattern.test(value);
}

export function recordingsRoot(dataDir: string): string {
  return join(dataDir, 'recordings');
}

/** DATA_DIR/recordings/<sessionId>/<recordingId>; throws on anything that is not a well-formed id. */
export function recordingDir(dataDir: string, sessionId: string, recordingId: string): string {
  if (!isSessionId(sessionId)) throw new Error('invalid session id for a recording directory');
  if (!isRecordingId(recordingId)) throw new Error('invalid recording id');
  return join(recordingsRoot(dataDir), sessionId, recordingId);
}

/** Track files are named by the recorder: kind, track number and segment number. */
export function segmentFileName(kind: 'audio' | 'video', trackIndex: number, segment: number): string {
  return `${kind}-${String(trackIndex).padStart(2, '0')}-${String(segment).padStart(2, '0')}.webm`;
}

export const segmentFilePattern = /^(audio|video)-\d{2,}-\d{2,}\.webm$/;
export const compositeFileName = 'composite.mp4';
export const manifestFileName = 'manifest.json';
export const signatureFileName = 'manifest.sig';
/** The recorder's running notes: what it has started, so a restart can finish the job. */
export const journalFileName = 'journal.json';
