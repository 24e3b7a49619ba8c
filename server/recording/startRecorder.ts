import { hostname } from 'node:os';
import { CompositeQueue, loadOrCreateRecordingKey, PortAllocator, type RecordingKey, repairInterrupted } from '../../recordings/index.js';
import type { AuditTrail } from '../audit/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import type { RecorderDeps } from '../sessions/RecordingControl.js';
import type { Redis } from '../store/index.js';

export type Recorder = { key: RecordingKey; composites: CompositeQueue; deps: RecorderDeps; stop(): Promise<void> };

/**
 * The recorder's per-process parts, in start-up order: the signing key, the
 * repair of recordings a process death cut off (before any new recording),
 * the composite queue (which resumes a job a dead process left pending), and
 * one port allocator for every session's ffmpeg ports.
 */
export async function startRecorder(opts: {
  config: Config;
  dataDir: string;
  redis: Redis;
  audit: AuditTrail;
  log: Logger;
}): Promise<Recorder> {
  const { config, dataDir, redis, audit } = opts;
  const log = opts.log.child({ area: 'recorder' });
  const key = await loadOrCreateRecordingKey({ dataDir, keyPath: config.recording.signingKeyPath });
  const auditHead = async (sessionId: string) => (await audit.head(sessionId)).hash;
  const repaired = await repairInterrupted(dataDir, { key: key.privateKey, auditHead, log });
  const composites = new CompositeQueue({ redis, dataDir, key: key.privateKey, consumer: `${hostname()}:${process.pid}`, log });
  await composites.start();
  // A repaired recording never got its composite queued by a stop; queue it now.
  for (const manifest of repaired) await composites.enqueue(manifest.sessionId, manifest.recordingId).catch(() => undefined);
  const ports = new PortAllocator(config.recording.minPort, config.recording.maxPort);
  return {
    key,
    composites,
    deps: {
      dataDir,
      signingKey: key.privateKey,
      ports,
      enqueueComposite: (sessionId, recordingId) => composites.enqueue(sessionId, recordingId),
      auditHead,
    },
    stop: () => composites.stop(),
  };
}
