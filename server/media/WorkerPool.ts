import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWorker, type types } from 'mediasoup';
import type { Logger } from '../log/index.js';

export type WorkerPoolOptions = {
  count: number;
  logLevel: types.WorkerLogLevel;
  listenIp: string;
  announcedIp: string | undefined;
  /** Worker N's WebRtcServer listens on webRtcPort+N (UDP and TCP); 0 lets the OS choose. */
  webRtcPort: number;
  minPort: number;
  maxPort: number;
  log: Logger;
};

/** One mediasoup worker process and the WebRtcServer that gives it a single UDP and TCP port. */
export type WorkerSlot = {
  readonly index: number;
  worker: types.Worker;
  webRtcServer: types.WebRtcServer;
  /** Open WebRTC and plain transports: a proxy for how many media streams the worker carries. */
  transports: number;
  routers: number;
};

export type WorkerUsage = {
  index: number;
  pid: number;
  routers: number;
  transports: number;
  cpu: { userMs: number; systemMs: number };
  maxRssKb: number;
};

type WorkerPoolEvents = {
  /** A worker died and its replacement is running; rooms on the old one must be rebuilt. */
  workerReplaced: [{ index: number; deadPid: number; newPid: number }];
};

export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  private readonly slots: WorkerSlot[] = [];
  private closed = false;

  private constructor(private readonly options: WorkerPoolOptions) {
    super();
  }

  static async create(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    try {
      for (let index = 0; index < options.count; index++) pool.slots.push(await pool.startSlot(index));
    } catch (err) {
      pool.close();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Fewest open transports first, then fewest routers, so new rooms spread before they stack. */
  leastLoaded(): WorkerSlot {
    const live = this.slots.filter((s) => !s.worker.died && !s.worker.closed);
    if (live.length === 0) throw new Error('no live media worker');
    return live.reduce((best, s) =>
      s.transports < best.transports || (s.transports === best.transports && s.routers < best.routers) ? s : best,
    );
  }

  async usage(): Promise<WorkerUsage[]> {
    return Promise.all(
      this.slots.map(async (slot) => {
        const usage = await slot.worker.getResourceUsage();
        return {
          index: slot.index,
          pid: slot.worker.pid,
          routers: slot.routers,
          transports: slot.transports,
          cpu: { userMs: usage.ru_utime, systemMs: usage.ru_stime },
          maxRssKb: usage.ru_maxrss,
        };
      }),
    );
  }

  pids(): number[] {
    return this.slots.map((s) => s.worker.pid);
  }

  close(): void {
    this.closed = true;
    for (const slot of this.slots) slot.worker.close();
  }

  private async startSlot(index: number): Promise<WorkerSlot> {
    const { options } = this;
    const worker = await createWorker({
      logLevel: options.logLevel,
      rtcMinPort: options.minPort,
      rtcMaxPort: options.maxPort,
      appData: { index },
    });
    const listen = { ip: options.listenIp, announcedIp: options.announcedIp };
    const port = options.webRtcPort === 0 ? undefined : options.webRtcPort + index;
    let webRtcServer: types.WebRtcServer;
    try {
      webRtcServer = await worker.createWebRtcServer({
        listenInfos: [
          { protocol: 'udp', ...listen, port },
          { protocol: 'tcp', ...listen, port },
        ],
      });
    } catch (err) {
      worker.close();
      throw new Error(`media worker ${index} could not listen on ${options.listenIp}:${port ?? 'any'}: ${(err as Error).message}`);
    }
    const slot: WorkerSlot = { index, worker, webRtcServer, transports: 0, routers: 0 };
    this.trackLoad(slot);
    worker.on('died', (err) => void this.replace(slot, err));
    options.log.info({ index, pid: worker.pid }, 'media worker started');
    return slot;
  }

  private trackLoad(slot: WorkerSlot): void {
    slot.worker.observer.on('newrouter', (router) => {
      slot.routers++;
      router.observer.once('close', () => slot.routers--);
      router.observer.on('newtransport', (transport) => {
        slot.transports++;
        transport.observer.once('close', () => slot.transports--);
      });
    });
  }

  private async replace(dead: WorkerSlot, err: Error): Promise<void> {
    if (this.closed) return;
    const { log } = this.options;
    log.error({ index: dead.index, pid: dead.worker.pid, err: err.message }, 'media worker died; replacing it');
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        const fresh = await this.startSlot(dead.index);
        if (this.closed) {
          fresh.worker.close();
          return;
        }
        this.slots[this.slots.indexOf(dead)] = fresh;
        this.emit('workerReplaced', { index: dead.index, deadPid: dead.worker.pid, newPid: fresh.worker.pid });
        return;
      } catch (startErr) {
        log.error({ index: dead.index, attempt, err: (startErr as Error).message }, 'media worker replacement failed');
        await sleep(Math.min(500 * attempt, 5000));
      }
    }
  }
}
