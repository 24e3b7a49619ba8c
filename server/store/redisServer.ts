import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A redis-server child process bound to 127.0.0.1 with AOF on. Used by
 * `npm start` when no REDIS_URL is given, and by the test suite's global set-up.
 */
export type RedisServer = {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
};

export type RedisServerOptions = {
  dir: string;
  /** Called if the child exits while we did not ask it to. */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
};

export async function startRedisServer(options: RedisServerOptions): Promise<RedisServer> {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const pidFile = join(dir, 'redis-server.pid');
  await stopStaleServer(pidFile);

  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--pidfile',
      pidFile,
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });

  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'ENOENT' ? 'redis-server is not installed; run scripts/setup' : `redis-server failed to start: ${err.message}`,
        ),
      ),
    );
  });
  let stopping = false;
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', (code, signal) => {
      if (!stopping) options.onUnexpectedExit?.(code, signal);
      resolveExit();
    });
  });

  await Promise.race([waitForPing(port, child, () => output), spawnError]);

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let answer = '';
    socket.setTimeout(500);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) {
        socket.destroy();
        resolvePing(answer.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolvePing(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolvePing(false);
    });
  });
}

async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
  // AOF replay of a large data set can take a while; allow it.
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited during start-up: ${output().trim()}`);
    // "LOADING" answers are not +PONG, so we keep waiting until the data set is in memory.
    if (await ping(port)) return;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer PING within 15 s: ${output().trim()}`);
}

/** A previous run killed with SIGKILL may have left its redis-server behind; stop it so we never run two on one data dir. */
async function stopStaleServer(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !isRedisServer(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && isRedisServer(pid); i++) await sleep(50);
}

function isRedisServer(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server');
  } catch {
    return false;
  }
}
