import type { KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { createClient } from 'redis';
import { buildComposite, type CompositeRun } from './composite.js';
import { isRecordingId, isSessionId, recordingDir } from './ids.js';
import { readManifest } from './manifest.js';
import { type RecorderLog, silentLog } from './recorderLog.js';

type Redis = ReturnType<typeof createClient>;
type StreamMessage = { id: string; message: Record<string, string> };

export type CompositeState = { state: 'queued' | 'running' | 'done' | 'failed'; percent: number; etaSeconds: number | undefined };

export type CompositeQueueOptions = {
  redis: Redis;
  dataDir: string;
  key: KeyObject;
  /** Unique per process, e.g. the host name and pid. */
  consumer: string;
  /** A pending job idle this long belonged to a consumer that died; it is claimed again. */
  claimIdleMs?: number;
  stream?: string;
  log?: RecorderLog;
};

const group = 'composers';
const progressKey = (recordingId: string) => `courtlink:recording:${recordingId}:composite`;
const progressTtlSeconds = 7 * 24 * 3600;

/**
 * The composite jobs, in a Redis Stream read by a consumer group, so a job
 * survives a restart: an entry is acknowledged only when its composite is
 * written and signed; on start and between jobs, entries left pending by a
 * dead consumer are taken over with XAUTOCLAIM. Progress lives in a Redis
 * hash a page can poll.
 */
export class CompositeQueue {
  private reader: Redis | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private current: CompositeRun | undefined;
  private readonly stream: string;
  private readonly log: RecorderLog;

  constructor(private readonly opts: CompositeQueueOptions) {
    this.stream = opts.stream ?? 'courtlink:recordings:composite';
    this.log = opts.log ?? silentLog;
  }

  private async ensureGroup(): Promise<void> {
    try {
      await this.opts.redis.xGroupCreate(this.stream, group, '0', { MKSTREAM: true });
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  async enqueue(sessionId: string, recordingId: string): Promise<void> {
    if (!isSessionId(sessionId) || !isRecordingId(recordingId)) throw new Error('invalid recording reference');
    await this.ensureGroup();
    await this.setProgress(recordingId, { state: 'queued', percent: 0, etaSeconds: undefined });
    await this.opts.redis.xAdd(this.stream, '*', { sessionId, recordingId });
  }

  async progress(recordingId: string): Promise<CompositeState | undefined> {
    const raw = await this.opts.redis.hGetAll(progressKey(recordingId));
    if (!raw.state) return undefined;
    return {
      state: raw.state as CompositeState['state'],
      percent: Number(raw.percent ?? 0),
      etaSeconds: raw.etaSeconds ? Number(raw.etaSeconds) : undefined,
    };
  }

  private async setProgress(recordingId: string, p: CompositeState): Promise<void> {
    const key = progressKey(recordingId);
    await this.opts.redis.hSet(key, {
      state: p.state,
      percent: String(p.percent),
      etaSeconds: p.etaSeconds === undefined ? '' : String(p.etaSeconds),
    });
    await this.opts.redis.expire(key, progressTtlSeconds);
  }

  /** Starts consuming jobs in the background (one at a time: the composite is CPU-heavy). */
  async start(): Promise<void> {
    await this.ensureGroup();
    this.reader = this.opts.redis.duplicate();
    await this.reader.connect();
    this.running = true;
    this.loop = this.consume();
  }

  private async consume(): Promise<void> {
    while (this.running) {
      try {
        const job = (await this.claimStale()) ?? (await this.readNew());
        if (job && this.running) await this.process(job);
      } catch (err) {
        if (!this.running) return;
        this.log.error({ err: (err as Error).message }, 'composite queue read failed');
        await sleep(1000);
      }
    }
  }

  private async claimStale(): Promise<StreamMessage | undefined> {
    const reply = await this.opts.redis.xAutoClaim(this.stream, group, this.opts.consumer, this.opts.claimIdleMs ?? 60_000, '0-0', {
      COUNT: 1,
    });
    return (reply.messages.find((m) => m !== null) as StreamMessage | undefined) ?? undefined;
  }

  private async readNew(): Promise<StreamMessage | undefined> {
    const reply = (await this.reader?.xReadGroup(group, this.opts.consumer, { key: this.stream, id: '>' }, { COUNT: 1, BLOCK: 500 })) as
      | { name: string; messages: StreamMessage[] }[]
      | null;
    return reply?.[0]?.messages[0];
  }

  private async process(job: StreamMessage): Promise<void> {
    const { sessionId, recordingId } = job.message;
    if (!isSessionId(sessionId) || !isRecordingId(recordingId)) {
      this.log.warn({ id: job.id }, 'composite job with an invalid reference dropped');
      await this.opts.redis.xAck(this.stream, group, job.id);
      return;
    }
    const dir = recordingDir(this.opts.dataDir, sessionId, recordingId);
    const manifest = await readManifest(dir).catch(() => undefined);
    if (manifest?.composite) {
      // Done before a crash that came ahead of the acknowledgement.
      await this.setProgress(recordingId, { state: 'done', percent: 100, etaSeconds: 0 });
      await this.opts.redis.xAck(this.stream, group, job.id);
      return;
    }
    await this.setProgress(recordingId, { state: 'running', percent: 0, etaSeconds: undefined });
    let lastWrite = 0;
    const run = buildComposite(
      dir,
      this.opts.key,
      (p) => {
        // A page polls this; a write per second is plenty.
        if (Date.now() - lastWrite < 1000 && p.percent < 100) return;
        lastWrite = Date.now();
        void this.setProgress(recordingId, { state: 'running', ...p }).catch(() => {});
      },
      this.log,
    );
    this.current = run;
    try {
      await run.done;
      await this.setProgress(recordingId, { state: 'done', percent: 100, etaSeconds: 0 });
      await this.opts.redis.xAck(this.stream, group, job.id);
    } catch (err) {
      if (!this.running) return; // killed or stopping: left pending for the next consumer
      this.log.error({ recordingId, err: (err as Error).message }, 'composite failed');
      await this.setProgress(recordingId, { state: 'failed', percent: 0, etaSeconds: undefined });
      await this.opts.redis.xAck(this.stream, group, job.id);
    } finally {
      this.current = undefined;
    }
  }

  /** The ffmpeg pid of the job in progress, for tests and the bench. */
  get currentPid(): number | undefined {
    return this.current?.pid;
  }

  /** Stops consuming. A job in progress is killed and stays pending, so the next start resumes it. */
  async stop(): Promise<void> {
    this.running = false;
    this.current?.kill();
    await this.loop?.catch(() => {});
    await this.reader?.quit().catch(() => {});
    this.reader = undefined;
  }
}
