import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { Router } from 'express';
import { Server as SocketServer } from 'socket.io';
import { type ClientToServerEvents, heartbeat, type ServerToClientEvents, socketMessageMaxBytes } from '../signaling/index.js';
import { AgreementStore } from './agreements/index.js';
import { AuditTrail } from './audit/index.js';
import { loadOrCreateSecret, TokenService } from './auth/index.js';
import type { Config } from './config/index.js';
import { DeadlineService } from './deadlines/index.js';
import { ensureCertificates } from './documents/index.js';
import { attachGateway } from './gateway/index.js';
import { createSessionApi } from './http/api.js';
import { type BackOffice, createBackOffice } from './http/backOfficeApi.js';
import { createDocumentsApi } from './http/documentsApi.js';
import { createHttpApp } from './http/index.js';
import { createMetricsRegistry } from './http/metrics.js';
import type { RegisteredRoute } from './http/routes.js';
import type { Logger } from './log/index.js';
import { WorkerPool } from './media/index.js';
import { packageVersion, projectRoot } from './projectRoot.js';
import { registerRecordingsApi } from './recording/recordingsApi.js';
import { type Recorder, startRecorder } from './recording/startRecorder.js';
import { auditOutcomeEdits, followEndedSessions } from './records/ledgerSubscriber.js';
import { InviteLinks, SessionDirectory, SessionStore } from './sessions/index.js';
import { connectRedis, type Redis, redisHealth, startRedisServer } from './store/index.js';
import { followVisits, handleVisitDeadlines } from './visits/followVisits.js';

export type CourtLinkServer = {
  url: string;
  port: number;
  version: string;
  pool: WorkerPool;
  redis: Redis;
  tokens: TokenService;
  sessions: SessionDirectory;
  audit: AuditTrail;
  deadlines: DeadlineService;
  links: InviteLinks;
  /** Bearer token for GET /metrics. */
  metricsToken: string;
  backOffice: BackOffice;
  /** Every REST route, as the OpenAPI document lists them, and the router that serves them under /api. */
  apiRoutes: readonly RegisteredRoute[];
  apiRouter: Router;
  io: SocketServer<ClientToServerEvents, ServerToClientEvents>;
  /** Recording (issue 9): signing key, composite queue and the sessions' recorder parts. */
  recorder: Recorder;
  /** pid of the embedded redis-server, when we started one. */
  embeddedRedisPid: number | undefined;
  close(): Promise<void>;
};

/** Starts Redis (embedded unless REDIS_URL is set), the media workers and HTTP + socket.io, in that order. */
export async function startCourtLink(config: Config, log: Logger): Promise<CourtLinkServer> {
  const root = projectRoot();
  const version = packageVersion(root);
  const dataDir = resolve(config.dataDir);
  // Undo in reverse order whatever has started, on failure or on close.
  const teardown: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const step of teardown.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'error during shutdown');
      }
    }
  };

  try {
    let redisUrl = config.redis.url;
    let embeddedRedisPid: number | undefined;
    if (!redisUrl) {
      const embedded = await startRedisServer({
        dir: join(dataDir, 'redis'),
        onUnexpectedExit: (code, signal) => log.error({ code, signal }, 'embedded redis-server exited'),
      });
      teardown.push(() => embedded.stop());
      redisUrl = embedded.url;
      embeddedRedisPid = embedded.pid;
      log.info({ pid: embedded.pid, port: embedded.port, dir: join(dataDir, 'redis') }, 'embedded redis-server started');
    }
    const redis = await connectRedis(redisUrl, log);
    teardown.push(async () => {
      if (redis.isOpen) await redis.quit();
    });

    const pool = await WorkerPool.create({
      count: config.media.workers,
      logLevel: config.media.logLevel,
      listenIp: config.media.listenIp,
      announcedIp: config.media.announcedIp,
      webRtcPort: config.media.webRtcPort,
      minPort: config.media.minPort,
      maxPort: config.media.maxPort,
      log,
    });
    teardown.push(() => pool.close());

    const secret = loadOrCreateSecret(dataDir, config.auth.jwtSecret);
    const tokens = new TokenService(secret, config.auth.issuer);
    const metricsToken = loadOrCreateSecret(dataDir, config.auth.metricsToken, 'metrics.token');
    const audit = new AuditTrail(redis);
    const deadlines = new DeadlineService(redis, log);
    const links = new InviteLinks(redis);
    // The first start makes development signing certificates (3–6 s of CPU); later starts load them.
    const signingKeys = ensureCertificates(dataDir, config.documents);
    let publicUrl = '';
    const agreements = {
      store: new AgreementStore(redis, dataDir),
      audit,
      keys: signingKeys,
      publicUrl: () => publicUrl,
      // The agreement binds the manifest of the session's latest finalized recording, as its audit trail names it.
      recordingManifestSha256: async (sessionId: string) => {
        const stopped = (await audit.entries(sessionId)).filter((e) => e.type === 'recording.stopped');
        const latest = stopped.at(-1)?.data.manifestSha256;
        return typeof latest === 'string' ? latest : undefined;
      },
    };
    // Recording (issue 9): key, repair of cut-off recordings, composite queue; before any session can record.
    const recorder = await startRecorder({ config, dataDir, redis, audit, log });
    teardown.push(() => recorder.stop());
    const sessions = new SessionDirectory({
      store: new SessionStore(redis),
      audit,
      deadlines,
      pool,
      graceMs: config.sessions.reconnectGraceMs,
      log,
      agreements,
      recorder: recorder.deps,
    });
    // Supervised visits (issue 12): their end and warnings are persisted deadlines; handlers first, then the poller.
    handleVisitDeadlines({ sessions, deadlines });
    deadlines.start();
    teardown.push(() => deadlines.stop());
    // Runs before the pool closes (teardown is reversed), so seats remember when they were last seen.
    teardown.push(() => sessions.suspendAll());

    const { registry: metrics, signalResumes } = createMetricsRegistry(pool, () => sessions.counts());
    const health = async () => {
      const [redisStatus, workers] = await Promise.all([redisHealth(redis), pool.usage().catch(() => [])]);
      return { ok: redisStatus.status === 'up' && workers.length === config.media.workers };
    };
    // Two route registries, one OpenAPI document: the back office's routes go first, as the session
    // router answers anything it does not know (after authentication) with NOT_FOUND.
    let sessionApi: ReturnType<typeof createSessionApi> | undefined;
    let documentsApi: ReturnType<typeof createDocumentsApi> | undefined;
    const backOffice = createBackOffice({
      redis,
      tokens,
      sessions,
      links,
      serverSecret: secret,
      publicUrl: () => publicUrl,
      version,
      otherRoutes: () => [...(documentsApi?.routes ?? []), ...(sessionApi?.routes ?? [])],
      onOutcomeEdited: auditOutcomeEdits(audit),
    });
    sessionApi = createSessionApi({
      tokens,
      sessions,
      links,
      audit,
      cookieActor: (req) => backOffice.resolveActor(req),
      publicUrl: () => publicUrl,
    });
    documentsApi = createDocumentsApi({
      tokens,
      sessions,
      links,
      agreements,
      cookieActor: (req) => backOffice.resolveActor(req),
      publicUrl: () => publicUrl,
    });
    const apiRouter = Router().use(backOffice.router, documentsApi.router, sessionApi.router);
    followEndedSessions(sessions, backOffice, audit, log);
    registerRecordingsApi(backOffice.registry, {
      dataDir,
      tokens,
      sessions,
      publicKeyPem: recorder.key.publicKeyPem,
      progressOf: (recordingId) => recorder.composites.progress(recordingId),
      resolveStaff: backOffice.resolveActor,
    });
    followVisits({ sessions, deadlines, audit, visits: backOffice.visits, ledger: backOffice.ledger, log });
    if ((await backOffice.accounts.count()) === 0)
      log.warn(
        'no staff accounts yet; create the first administrator with: npx courtlink user add --username admin --role admin --org-name "<your centre>"',
      );
    const app = createHttpApp({
      health,
      metrics,
      metricsToken,
      clientDir: join(root, 'dist', 'client'),
      api: apiRouter,
      log,
    });
    const httpServer = createServer(app);
    const io = new SocketServer<ClientToServerEvents, ServerToClientEvents>(httpServer, {
      serveClient: false,
      maxHttpBufferSize: socketMessageMaxBytes,
      pingInterval: heartbeat.intervalMs,
      pingTimeout: heartbeat.timeoutMs,
    });
    attachGateway(io, {
      tokens,
      sessions,
      pool,
      log,
      rateLimit: { perSecond: config.signaling.ratePerSecond, burst: config.signaling.ratePerSecond * 2 },
      onResume: () => signalResumes.inc(),
    });
    teardown.push(
      () =>
        new Promise<void>((done) => {
          io.close(() => done());
          httpServer.closeAllConnections();
        }),
    );

    await new Promise<void>((listening, failed) => {
      httpServer.once('error', failed);
      httpServer.listen(config.http.port, config.http.host, () => listening());
    });
    const port = (httpServer.address() as AddressInfo).port;
    const url = config.http.publicUrl ?? `http://${config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${port}`;
    publicUrl = url;

    return {
      url,
      port,
      version,
      pool,
      redis,
      tokens,
      sessions,
      audit,
      deadlines,
      links,
      metricsToken,
      backOffice,
      apiRoutes: [...backOffice.routes, ...sessionApi.routes],
      apiRouter,
      io,
      embeddedRedisPid,
      recorder,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
