import { CourtLinkError } from '../../signaling/index.js';

const mediaTimeoutMs = 10_000;

/**
 * mediasoup throws TypeError for parameters it cannot use (a codec the router
 * lacks, a malformed encoding) and plain Errors for state problems. Clients
 * get INVALID_PAYLOAD for the first and MEDIA_ERROR for the rest, never
 * mediasoup's own text.
 */
export async function mediaCall<T>(call: () => Promise<T>, timeoutMs = mediaTimeoutMs): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // mediasoup 3.12 has no channel timeout: a request the worker drops would otherwise hang its caller for good.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CourtLinkError('MEDIA_ERROR', 'The media server did not answer in time.')), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (err) {
    if (err instanceof CourtLinkError) throw err;
    if (err instanceof TypeError) throw new CourtLinkError('INVALID_PAYLOAD', 'The media parameters were not accepted.');
    throw new CourtLinkError('MEDIA_ERROR');
  } finally {
    clearTimeout(timer);
  }
}
