import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { CourtLinkError, type ErrorCode } from '../../signaling/index.js';

/**
 * Security headers on every page and API answer (helmet): a CSP the app passes
 * with no inline script, no framing, no referrer (invite link ids must not
 * leak to other sites), and nosniff.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // React sets style attributes through the CSSOM, which CSP does not block; no inline <style> is needed.
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        workerSrc: ["'self'", 'blob:'],
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
}

/** Only a caller with the metrics token may scrape /metrics: worker pids and session counts are not public. */
export function requireBearer(token: string): RequestHandler {
  const expected = Buffer.from(token);
  return (req, _res, next) => {
    const given = Buffer.from(/^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) next(new CourtLinkError('UNAUTHENTICATED'));
    else next();
  };
}

/**
 * Errors raised by express's body parser before any route runs (bad JSON, an
 * unknown Content-Encoding, a body too large) are the client's fault: answer
 * with a 4xx and a catalogue code, never a 500 or a logged stack.
 */
export function clientErrorOf(err: unknown): CourtLinkError | undefined {
  if (err instanceof CourtLinkError) return err;
  const status = (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const byStatus: Partial<Record<number, ErrorCode>> = { 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_ENCODING' };
  return new CourtLinkError(byStatus[status] ?? 'INVALID_PAYLOAD');
}
