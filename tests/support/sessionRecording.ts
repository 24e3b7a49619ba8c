import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProducerAppData } from '../../server/media/index.js';
import type { LiveSession } from '../../server/sessions/index.js';
import { type RtpSource, startRtpSource } from './rtpSource.js';
import type { TestServer } from './server.js';

export async function until<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(everyMs);
  }
}

/**
 * A seat's camera or microphone fed by a real ffmpeg RTP source: the producer
 * is created on the session's router and handed to the seat's media peer, as
 * a browser's would be after media:produce, so the recorder sees real packets.
 */
export async function seatSource(session: LiveSession, seatId: string, kind: 'audio' | 'video'): Promise<RtpSource> {
  const room = await session.media.room();
  const source = await startRtpSource(room.router, kind);
  const appData = source.producer.appData as ProducerAppData;
  appData.seatId = seatId;
  appData.source = kind === 'video' ? 'camera' : 'mic';
  room.peer(seatId).producers.set(source.producer.id, source.producer as never);
  session.recording.producerAdded();
  return source;
}

/** The audit trail's entries of one type. */
export async function auditOf(server: TestServer, sessionId: string, type: string): Promise<{ data: Record<string, unknown> }[]> {
  return (await server.audit.entries(sessionId)).filter((e) => e.type === type);
}

export function recordingPath(server: TestServer, sessionId: string, recordingId: string, file = ''): string {
  return join(server.dataDir, 'recordings', sessionId, recordingId, file);
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}
