import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import type { types } from 'mediasoup';
import { CourtLinkError } from '../signaling/errors.js';
import { finalizeRecording } from './finalize.js';
import { newRecordingId, recordingDir } from './ids.js';
import { type Journal, type JournalTrack, writeJournal } from './journal.js';
import type { Manifest } from './manifest.js';
import type { PortAllocator } from './PortAllocator.js';
import { type RecorderLog, silentLog } from './recorderLog.js';
import { TrackRecorder, type TrackRecorderEvents } from './TrackRecorder.js';

/** Who a track belongs to, as the session core knows it. The name arrives already masked. */
export type TrackMeta = { seatId: string; maskedName: string; role: string; source: string; room: string };

export type SessionRecorderOptions = {
  sessionId: string;
  router: types.Router;
  dataDir: string;
  ports: PortAllocator;
  signingKey: import('node:crypto').KeyObject;
  log?: RecorderLog;
};

/** The same facts as each track's, passed through. */
export type SessionRecorderEvents = TrackRecorderEvents;

function codecOf(producer: types.Producer): 'VP8' | 'opus' {
  const mime = producer.rtpParameters.codecs[0]?.mimeType.toLowerCase();
  if (mime === 'video/vp8') return 'VP8';
  if (mime === 'audio/opus') return 'opus';
  throw new CourtLinkError('RECORDING_UNSUPPORTED_CODEC');
}

/**
 * One recording of one session: a TrackRecorder per recorded producer, a
 * journal on disk, and at stop a signed manifest. Knows nothing of seats or
 * policy; the caller decides what to record and passes the audit head.
 * Events are plain facts for the caller to turn into domain events.
 */
export class SessionRecorder extends EventEmitter<SessionRecorderEvents> {
  private readonly recorders = new Map<string, TrackRecorder>();
  /** Removed tracks: the same producer may come back (a seat returning to a recorded room) as a new track. */
  private readonly retired: TrackRecorder[] = [];
  private readonly startedAtMs = Date.now();
  private stopped: Promise<Manifest> | undefined;
  private trackCount = 0;

  private constructor(
    private readonly opts: SessionRecorderOptions,
    readonly recordingId: string,
    readonly dir: string,
    private readonly journal: Journal,
  ) {
    super();
  }

  static async start(opts: SessionRecorderOptions): Promise<SessionRecorder> {
    const recordingId = newRecordingId();
    const dir = recordingDir(opts.dataDir, opts.sessionId, recordingId);
    await mkdir(dir, { recursive: true });
    const journal: Journal = {
      sessionId: opts.sessionId,
      recordingId,
      startedAt: new Date().toISOString(),
      state: 'recording',
      tracks: [],
      gaps: [],
    };
    await writeJournal(dir, journal);
    return new SessionRecorder(opts, recordingId, dir, journal);
  }

  get startedAt(): string {
    return this.journal.startedAt;
  }

  /** Every track of this recording, including those already removed (their stop is awaited at the end too). */
  get tracks(): TrackRecorder[] {
    return [...this.retired, ...this.recorders.values()];
  }

  private readonly elapsed = () => Date.now() - this.startedAtMs;

  /** Persists are chained so two journal writes never interleave. */
  private persisting: Promise<void> = Promise.resolve();
  private readonly persist = (): Promise<void> => {
    this.persisting = this.persisting
      .then(() => writeJournal(this.dir, this.journal))
      .catch((err: Error) => {
        (this.opts.log ?? silentLog).error({ err: err.message }, 'recording journal write failed');
      });
    return this.persisting;
  };

  /** Starts recording a producer (VP8 or Opus). Returns the track id used in events and the manifest. */
  async addTrack(producer: types.Producer, meta: TrackMeta): Promise<string> {
    if (this.stopped) throw new CourtLinkError('RECORDING_STOPPED');
    if (this.recorders.has(producer.id)) throw new CourtLinkError('CONFLICT');
    const codec = codecOf(producer);
    const trackIndex = this.trackCount++;
    const track: JournalTrack = {
      trackId: `t${String(trackIndex).padStart(2, '0')}`,
      producerId: producer.id,
      seatId: meta.seatId,
      participant: meta.maskedName,
      role: meta.role,
      kind: producer.kind,
      codec,
      source: meta.source,
      room: meta.room,
      segments: [],
    };
    this.journal.tracks.push(track);
    await this.persist();
    const recorder = new TrackRecorder({
      router: this.opts.router,
      producer,
      track,
      trackIndex,
      dir: this.dir,
      ports: this.opts.ports,
      elapsed: this.elapsed,
      persist: this.persist,
      recordGap: (gap) => this.journal.gaps.push(gap),
      log: this.opts.log ?? silentLog,
    });
    recorder.on('trackStarted', (fact) => this.emit('trackStarted', fact));
    recorder.on('segment', (fact) => this.emit('segment', fact));
    recorder.on('gap', (fact) => this.emit('gap', fact));
    recorder.on('trackStopped', (fact) => this.emit('trackStopped', fact));
    recorder.on('failed', (fact) => this.emit('failed', fact));
    this.recorders.set(producer.id, recorder);
    recorder.start();
    return track.trackId;
  }

  /** Stops one track (the seat left the recorded room, or the producer closed); its files stay in the recording. */
  async removeTrack(producerId: string): Promise<void> {
    const recorder = this.recorders.get(producerId);
    if (!recorder) return;
    this.recorders.delete(producerId);
    this.retired.push(recorder);
    await recorder.stop();
  }

  /** Stops every track, hashes the files and writes the signed manifest with the given audit-chain head. */
  stop(auditHead: string): Promise<Manifest> {
    this.stopped ??= (async () => {
      await Promise.all(this.tracks.map((t) => t.stop()));
      await this.persisting;
      return finalizeRecording({
        dir: this.dir,
        journal: this.journal,
        endedAtMs: Date.now(),
        auditHead,
        repaired: false,
        key: this.opts.signingKey,
      });
    })();
    return this.stopped;
  }

  /** Drops everything in memory and kills ffmpeg without finalizing: what a crash leaves. Tests and emergency shutdown only. */
  abandon(): void {
    this.stopped ??= Promise.reject(new CourtLinkError('RECORDING_STOPPED'));
    this.stopped.catch(() => {});
    for (const t of this.tracks) t.abandon();
  }
}
