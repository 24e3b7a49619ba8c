import { CourtLinkError } from './errors.js';
import type { RequestName } from './events.js';

/**
 * How large one socket message may be. The transport's own cap sits above the
 * largest request the contract allows, so every request that is too large for
 * its event is answered PAYLOAD_TOO_LARGE by the dispatcher; only a frame above
 * the transport cap makes socket.io close the connection (nothing is changed).
 */
export const socketMessageMaxBytes = 1024 * 1024;

/**
 * The signalling heartbeat. The server pings every `intervalMs` (about 60 bytes each way, nothing on a village
 * link) so a client can tell a socket that is quiet from one that is stuck: silent for `stalledAfterMs`, it
 * opens a fresh socket and resumes its seat (client/src/room/SignalWatch.ts). A socket is dropped only after
 * `timeoutMs` without an answer, so a thin link that is merely slow keeps its seat.
 */
export const heartbeat = { intervalMs: 2000, timeoutMs: 20_000, stalledAfterMs: 3500 } as const;

/** The default is roomy for every small request; the agreement's two big ones get their own. */
const defaultRequestMaxBytes = 64 * 1024;
const requestMaxBytes: Partial<Record<RequestName, number>> = {
  // 50 clauses of 2,000 CJK characters (3 bytes each in UTF-8) plus facts and parties: about 330 KB at most.
  'agreement:edit': 512 * 1024,
  // A signature image is at most 240,000 base64 characters (SignatureImage).
  'agreement:sign': 320 * 1024,
};

export function requestByteLimit(event: RequestName): number {
  return requestMaxBytes[event] ?? defaultRequestMaxBytes;
}

/** The UTF-8 size of a payload as JSON, which is what travels in the socket frame. */
export function payloadBytes(payload: unknown): number {
  const json = JSON.stringify(payload ?? {});
  return json === undefined ? 0 : new TextEncoder().encode(json).byteLength;
}

/** Refuses a request above its event's limit, naming both sizes; the same check runs in the client before sending. */
export function assertWithinByteLimit(event: RequestName, payload: unknown): void {
  const limit = requestByteLimit(event);
  let size: number;
  try {
    size = payloadBytes(payload);
  } catch {
    // JSON.stringify overflows the stack on a payload nested tens of thousands deep: no contract allows one.
    throw new CourtLinkError('INVALID_PAYLOAD', 'The request was malformed (nested too deeply).');
  }
  if (size > limit) {
    throw new CourtLinkError(
      'PAYLOAD_TOO_LARGE',
      `This request is ${Math.ceil(size / 1024)} KB; at most ${Math.floor(limit / 1024)} KB are accepted.`,
    );
  }
}
