import { startCourtLink } from './app.js';
import { ConfigError, loadConfig } from './config/index.js';
import { createLogger } from './log/index.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.log.level);
  const server = await startCourtLink(config, log);
  log.info({ url: server.url, workers: server.pool.pids() }, 'CourtLink is running');
  process.stdout.write(`\nCourtLink is running at ${server.url}\n\n`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const forced = setTimeout(() => {
      log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    forced.unref();
    await server.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`CourtLink failed to start: ${err.message}\n`);
  process.exit(1);
});
