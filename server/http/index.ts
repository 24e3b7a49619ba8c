import { existsSync } from 'node:fs';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Registry } from 'prom-client';
import { CourtLinkError, toErrorBody } from '../../signaling/index.js';
import type { Logger } from '../log/index.js';
import { clientErrorOf, requireBearer, securityHeaders } from './security.js';
import { compressText, serveClient } from './staticClient.js';

export type Health = () => Promise<{ ok: boolean }>;

export type HttpAppOptions = {
  health: Health;
  metrics: Registry;
  metricsToken: string;
  clientDir: string;
  api: Router;
  log: Logger;
};

export function createHttpApp({ health, metrics, metricsToken, clientDir, api, log }: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(compressText());
  app.use(express.json({ limit: '256kb' }));

  // Minimal on purpose: a load balancer needs up or down, not versions and pids.
  app.get('/healthz', async (_req, res) => {
    const { ok } = await health();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded' });
  });

  app.get('/metrics', requireBearer(metricsToken), async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });

  app.use('/api', api);

  if (existsSync(clientDir)) {
    serveClient(app, clientDir);
  } else {
    log.warn({ clientDir }, 'client build not found; run npm run build:client');
  }

  app.use((_req, _res, next) => next(new CourtLinkError('NOT_FOUND')));
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const known = clientErrorOf(err);
    if (!known) log.error({ err }, 'unhandled http error');
    else log.debug({ code: known.code }, 'request refused');
    res.status(known?.status ?? 500).json(toErrorBody(known ?? err));
  };
  app.use(onError);
  return app;
}
