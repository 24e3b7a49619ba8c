/**
 * The recorder's public surface. It takes a mediasoup Router and producers
 * and knows nothing of sessions, seats or policy; the session core wires it
 * to its domain events and decides who may start and stop.
 */

export { CompositeQueue, type CompositeQueueOptions, type CompositeState } from './CompositeQueue.js';
export { buildComposite, type CompositeProgress } from './composite.js';
export {
  compositeFileName,
  isRecordingId,
  isSessionId,
  manifestFileName,
  newRecordingId,
  recordingDir,
  recordingsRoot,
  segmentFilePattern,
  signatureFileName,
} from './ids.js';
export { type Journal, readJournal } from './journal.js';
export { Manifest, ManifestGap, ManifestTrack, readManifest, sha256File } from './manifest.js';
export { PortAllocator, type PortPair } from './PortAllocator.js';
export type { RecorderLog } from './recorderLog.js';
export { loadOrCreateRecordingKey, type RecordingKey, recordingKeyPath } from './recordingKey.js';
export { repairInterrupted } from './repair.js';
export { SessionRecorder, type SessionRecorderEvents, type SessionRecorderOptions, type TrackMeta } from './SessionRecorder.js';
export type { SegmentStarted } from './TrackRecorder.js';
export { readEphemeralRange } from './udpPorts.js';
export { type VerifyFailure, type VerifyResult, verifyRecordingDir } from './verify.js';
