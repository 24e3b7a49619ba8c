import { existsSync } from 'node:fs';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Registry } from 'prom-client';
import { CourtLinkError, toErrorBody } from '../../signaling/index.js';
import type { Logger } from '../log/index.js';
import { compressText, serveClient } from './staticClient.js';

export type Health = () => Promise<{ ok: boolean; body: Record<string, unknown> }>;

export type HttpAppOptions = {
  health: Health;
  metrics: Registry;
  clientDir: string;
  api: Router;
  log: Logger;
};

export function createHttpApp({ health, metrics, clientDir, api, log }: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(compressText());
  app.use(express.json({ limit: '256kb' }));

  app.get('/healthz', async (_req, res) => {
    const { ok, body } = await health();
    res.status(ok ? 200 : 503).json(body);
  });

  app.get('/metrics', async (_req, res) => {
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
    // express.json() reports malformed bodies with type 'entity.parse.failed'.
    const known =
      err instanceof CourtLinkError
        ? err
        : (err as { type?: string }).type === 'entity.parse.failed' || (err as { type?: string }).type === 'entity.too.large'
          ? new CourtLinkError('INVALID_PAYLOAD')
          : undefined;
    if (!known) log.error({ err }, 'unhandled http error');
    const body = toErrorBody(known ?? err);
    res.status(known?.status ?? 500).json(body);
  };
  app.use(onError);
  return app;
}
