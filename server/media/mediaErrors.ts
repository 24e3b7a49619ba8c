import { CourtLinkError } from '../../signaling/index.js';

/**
 * mediasoup throws TypeError for parameters it cannot use (a codec the router
 * lacks, a malformed encoding) and plain Errors for state problems. Clients
 * get INVALID_PAYLOAD for the first and MEDIA_ERROR for the rest, never
 * mediasoup's own text.
 */
export async function mediaCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof CourtLinkError) throw err;
    if (err instanceof TypeError) throw new CourtLinkError('INVALID_PAYLOAD', 'The media parameters were not accepted.');
    throw new CourtLinkError('MEDIA_ERROR');
  }
}
