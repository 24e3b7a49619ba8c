import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { WorkerPool, WorkerUsage } from '../media/index.js';

export type LiveCounts = () => Promise<{ sessions: number; peers: number }>;

/** A registry per server instance (no module-level global), so tests can run several servers in one process. */
export function createMetricsRegistry(pool: WorkerPool, counts: LiveCounts): { registry: Registry; signalResumes: Counter } {
  const registry = new Registry();
  // Counted by the gateway on each successful session:resume.
  const signalResumes = new Counter({
    name: 'courtlink_signal_resumes_total',
    help: 'Seats moved to a fresh signalling socket without rebuilding media (session:resume): stalled or dropped sockets.',
    registers: [registry],
  });
  collectDefaultMetrics({ register: registry, prefix: 'courtlink_node_' });

  new Gauge({
    name: 'courtlink_media_workers',
    help: 'Running mediasoup worker processes.',
    registers: [registry],
    collect() {
      this.set(pool.size);
    },
  });
  // prom-client collects every metric of a scrape at once; both worker gauges share one usage query.
  let usage: Promise<WorkerUsage[]> | undefined;
  const usageForThisScrape = () => {
    usage ??= pool.usage().finally(() => setTimeout(() => (usage = undefined), 0));
    return usage;
  };
  new Gauge({
    name: 'courtlink_media_worker_cpu_seconds',
    help: 'CPU time used by each mediasoup worker (user + system).',
    labelNames: ['worker', 'pid'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const w of await usageForThisScrape())
        this.set({ worker: String(w.index), pid: String(w.pid) }, (w.cpu.userMs + w.cpu.systemMs) / 1000);
    },
  });
  new Gauge({
    name: 'courtlink_media_worker_transports',
    help: 'Open transports on each mediasoup worker.',
    labelNames: ['worker'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const w of await usageForThisScrape()) this.set({ worker: String(w.index) }, w.transports);
    },
  });
  new Gauge({
    name: 'courtlink_sessions_active',
    help: 'Sessions with a live media room on this node.',
    registers: [registry],
    async collect() {
      this.set((await counts()).sessions);
    },
  });
  new Gauge({
    name: 'courtlink_peers_active',
    help: 'Connected participants on this node.',
    registers: [registry],
    async collect() {
      this.set((await counts()).peers);
    },
  });
  return { registry, signalResumes };
}
