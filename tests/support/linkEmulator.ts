import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Impairment, PipeStats } from './linkEmulatorPipe.js';

export type { Impairment, PipeStats } from './linkEmulatorPipe.js';

/**
 * A userspace weak link between this host and a village network namespace.
 * This machine's kernel has no netem, so two TUN devices (one here, one moved
 * into the namespace) are joined by a Node process that applies delay, jitter,
 * loss, a rate cap with a drop-tail queue and UDP blocking per direction, and
 * takes new impairments while it runs (linkEmulatorMain.ts).
 */
export type LinkEmulator = {
  /** up: what the village sends; down: what it receives. A direction given replaces that direction's impairment. */
  set(impairment: { up?: Impairment; down?: Impairment }): Promise<void>;
  stats(): Promise<{ up: PipeStats; down: PipeStats }>;
  close(): void;
};

export type LinkEmulatorOptions = {
  namespace: string;
  serverIf: string;
  villageIf: string;
  serverIp: string;
  villageIp: string;
};

const tunOpen = fileURLToPath(new URL('./tunOpen.py', import.meta.url));
const emulatorMain = fileURLToPath(new URL('./linkEmulatorMain.ts', import.meta.url));

function sh(args: string[]): void {
  execFileSync(args[0] as string, args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Starts the emulator, moves its village-side TUN into the namespace and routes the village through it. */
export async function startLinkEmulator(options: LinkEmulatorOptions): Promise<LinkEmulator> {
  const { namespace, serverIf, villageIf, serverIp, villageIp } = options;
  const child: ChildProcess = spawn('python3', [tunOpen, serverIf, villageIf, '--', process.execPath, '--import', 'tsx', emulatorMain], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, UV_THREADPOOL_SIZE: '8' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const pending = new Map<number, (message: Record<string, unknown>) => void>();
  let ready: () => void = () => {};
  const started = new Promise<void>((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code) => reject(new Error(`link emulator exited (${code}): ${stderr.trim()}`)));
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown> & { id?: number; ready?: boolean };
    if (message.ready) ready();
    if (message.id !== undefined) pending.get(message.id)?.(message);
  });
  await started;

  sh(['ip', 'link', 'set', villageIf, 'netns', namespace]);
  sh(['ip', 'addr', 'add', serverIp, 'peer', villageIp, 'dev', serverIf]);
  sh(['ip', 'link', 'set', serverIf, 'up']);
  const inNs = (args: string[]) => sh(['ip', 'netns', 'exec', namespace, ...args]);
  inNs(['ip', 'addr', 'add', villageIp, 'peer', serverIp, 'dev', villageIf]);
  inNs(['ip', 'link', 'set', villageIf, 'up']);
  inNs(['ip', 'link', 'set', 'lo', 'up']);
  inNs(['ip', 'route', 'add', 'default', 'dev', villageIf]);

  let nextId = 0;
  const ask = (order: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('link emulator did not answer')), 5_000);
      pending.set(id, (message) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(message);
      });
      child.stdin?.write(`${JSON.stringify({ id, ...order })}\n`);
    });
  };

  return {
    async set(impairment) {
      await ask({ set: impairment });
    },
    async stats() {
      return (await ask({ stats: true })).stats as { up: PipeStats; down: PipeStats };
    },
    close() {
      child.removeAllListeners('exit');
      child.stdin?.end();
      child.kill();
    },
  };
}
