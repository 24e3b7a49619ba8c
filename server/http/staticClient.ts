import { join } from 'node:path';
import compression from 'compression';
import type { Express, RequestHandler } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { CourtLinkError } from '../../signaling/index.js';
import { LinkId } from '../sessions/index.js';

/**
 * Serving the built web app to a village on 300 kbit/s: every byte counts.
 * - Vite writes each asset with a content hash in its name, plus `.br` and `.gz`
 *   copies made at build time (vite-plugin-compression2), so nothing is
 *   compressed per request; express-static-gzip picks the copy the browser accepts.
 * - Hashed assets never change under their name: cache them for a year, immutable.
 * - index.html names the current hashes, so it is always revalidated.
 * - Source maps are neither built nor served: any `*.map` is a 404, never the app shell.
 */

const oneYear = 'public, max-age=31536000, immutable';

/** Compresses dynamic text responses (API JSON, /metrics, the app shell) with Brotli or gzip, whichever the client prefers. */
export function compressText(): RequestHandler {
  // compression skips responses that already carry a Content-Encoding (the precompressed assets).
  return compression({ threshold: 512 });
}

/** Mounts the built client: precompressed hashed assets, then the single-page app for every client route. */
export function serveClient(app: Express, clientDir: string): void {
  app.get(/\.map$/, (_req, _res, next) => next(new CourtLinkError('NOT_FOUND')));
  app.use(
    expressStaticGzip(clientDir, {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: false,
      serveStatic: {
        index: false,
        setHeaders(res, path) {
          const hashed = /[\\/]assets[\\/]/.test(path);
          res.setHeader('Cache-Control', hashed ? oneYear : 'no-cache');
        },
      },
    }),
  );
  // An asset name that is not in this build is a 404, not the app shell (a stale tab would otherwise parse HTML as JS).
  app.use('/assets', (_req, _res, next) => next(new CourtLinkError('NOT_FOUND')));
  // The client routes (/j/<token>, /staff, /) are all the single-page app.
  app.get(/^\/(?!api\/|socket\.io\/).*/, (req, res) => {
    const preload = invitePreload(req.path);
    if (preload) res.setHeader('Link', preload);
    res.sendFile(join(clientDir, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } });
  });
}

/**
 * An invite page asks GET /api/invites/<id> before its self-test; announced with the page, the browser
 * fetches it alongside the scripts instead of after them (one round trip less at 150 ms in a village).
 * Only a well-formed short link id is echoed back; the preload matches the page's plain same-origin fetch.
 */
export function invitePreload(path: string): string | undefined {
  const id = /^\/j\/([^/]+)$/.exec(path)?.[1];
  if (!id || !LinkId.safeParse(id).success) return undefined;
  return `</api/invites/${id}>; rel=preload; as=fetch; crossorigin=anonymous`;
}
