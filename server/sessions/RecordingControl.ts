import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import {
  manifestFileName,
  type PortAllocator,
  type RecorderLog,
  type SegmentStarted,
  SessionRecorder,
  sha256File,
} from '../../recordings/index.js';
import {
  CourtLinkError,
  type DomainEvent,
  type EventActor,
  jointRoom,
  type Location,
  mayReceive,
  recordedRooms,
} from '../../signaling/index.js';
import { maskPii } from '../log/index.js';
import type { SessionContext } from './SessionContext.js';

/** What a node gives every session's recorder: one port allocator and one signing key per process. */
export type RecorderDeps = {
  dataDir: string;
  signingKey: KeyObject;
  ports: PortAllocator;
  /** The composite job queue (CompositeQueue.enqueue). */
  enqueueComposite: (sessionId: string, recordingId: string) => Promise<void>;
  /** Head hash of the session's audit chain, written into the manifest. */
  auditHead: (sessionId: string) => Promise<string>;
};

/** Runs a task in the session's queue, after whatever is queued. */
export type QueueRun = <T>(task: () => Promise<T>) => Promise<T>;

const recorderActor: EventActor = { kind: 'system', reason: 'recorder' };
type Stopped = { recordingId: string; manifestSha256: string };

/**
 * Recording of one session. The host starts and stops it (policy action
 * `record`); a session type that forces recording (a visit) records from the
 * moment it goes live until it ends. What is recorded follows the one
 * audience rule: producers of seats in `recordedRooms(caucuses)`, re-checked
 * whenever a producer appears or people move. The recorder's facts (segments,
 * gaps) become domain events, so the audit trail holds them.
 */
export class RecordingControl {
  private current: SessionRecorder | undefined;
  private starting: Promise<unknown> | undefined;
  /** Producer ids the current recorder holds. */
  private readonly tracked = new Set<string>();
  /** Recordings being finalized (their stop can take ~14 s for a track with no packets). */
  private readonly finishing = new Set<Promise<unknown>>();

  constructor(
    private readonly ctx: SessionContext,
    private readonly deps: RecorderDeps | undefined,
    private readonly run: QueueRun,
  ) {
    ctx.core.on('event', (event) => this.follow(event));
  }

  get recordingId(): string | undefined {
    return this.current?.recordingId;
  }

  /** The recording in progress, for tests (crash injection) and diagnostics. */
  get recorder(): SessionRecorder | undefined {
    return this.current;
  }

  /** Producer ids being recorded now (for tests and diagnostics). */
  recordedProducers(): string[] {
    return [...this.tracked];
  }

  private get forced(): boolean {
    return this.ctx.core.policyState().recordingForced === true;
  }

  private follow(event: DomainEvent): void {
    switch (event.type) {
      case 'caucus.moved':
      case 'caucus.recordingSet':
      case 'caucus.closed':
        void this.sync();
        return;
      case 'session.started':
      case 'seat.admitted':
        // A forced recording runs whenever the session is live, also after a restart cut it short.
        if (this.forced && this.ctx.core.record.status === 'live' && !this.current && !this.starting)
          void this.run(() => this.begin(recorderActor)).catch((err: Error) =>
            this.ctx.log.error({ err: err.message }, 'forced recording did not start'),
          );
        return;
      case 'session.ended': {
        // After the commit, not inside it: the host's ack does not wait for the files.
        const done = this.finish(recorderActor, this.run);
        done?.catch((err: Error) => this.ctx.log.error({ err: err.message }, 'recording did not finalize at session end'));
        return;
      }
      default:
        return;
    }
  }

  /** record:start from the host. */
  async start(actorSeatId: string): Promise<string> {
    const { core } = this.ctx;
    core.authorize(actorSeatId, 'record');
    if (this.current) throw new CourtLinkError('CONFLICT', 'The session is already being recorded.');
    // One recording's ffmpeg processes at a time per session: a start waits until the last stop has finalized its files.
    if (this.finishing.size > 0)
      throw new CourtLinkError('CONFLICT', 'The last recording is still being finalized; try again in a few seconds.');
    return this.begin(core.eventActor(actorSeatId));
  }

  /** record:stop from the host. `done` resolves once the manifest is signed and `recording.stopped` committed. */
  stop(actorSeatId: string): { recordingId: string; done: Promise<Stopped> } {
    const { core, log } = this.ctx;
    core.authorize(actorSeatId, 'record');
    const recordingId = this.current?.recordingId;
    const done = this.finish(core.eventActor(actorSeatId), this.run);
    if (!done || !recordingId) throw new CourtLinkError('CONFLICT', 'The session is not being recorded.');
    done.catch((err: Error) => log.error({ recordingId, err: err.message }, 'recording did not finalize'));
    return { recordingId, done };
  }

  /** caucus:setRecording: the joint room is always recorded; a caucus only when the host turns it on. */
  async setCaucusRecorded(actorSeatId: string, roomId: Location, recorded: boolean): Promise<void> {
    const { core } = this.ctx;
    core.authorize(actorSeatId, 'caucus');
    if (roomId === jointRoom) throw new CourtLinkError('CONFLICT', 'The joint room is always recorded.');
    const caucuses = core.record.caucuses;
    if (!caucuses.some((c) => c.id === roomId)) throw new CourtLinkError('NOT_FOUND', 'No such caucus room.');
    await core.commit(
      core.eventActor(actorSeatId),
      'caucus.recordingSet',
      { roomId, recorded },
      { record: { caucuses: caucuses.map((c) => (c.id === roomId ? { ...c, recorded } : c)) } },
    );
  }

  /** A producer appeared in the session. */
  producerAdded(): void {
    void this.sync();
  }

  /** At load: a recording cut off by a process death was repaired at start-up; the session is no longer recording. */
  async recover(): Promise<void> {
    const { core } = this.ctx;
    if (core.record.recording)
      await core.commit({ kind: 'system', reason: 'crash-recovery' }, 'recording.interrupted', {}, { record: { recording: false } });
  }

  /** Node shutdown (inside the session's queue): finalize before the media goes down. */
  async shutdown(): Promise<void> {
    await this.finish({ kind: 'system', reason: 'shutdown' }, (task) => task())?.catch(() => undefined);
    await Promise.allSettled([...this.finishing]);
  }

  private async begin(actor: EventActor): Promise<string> {
    const { core, media } = this.ctx;
    const deps = this.deps;
    if (!deps) throw new CourtLinkError('UNAVAILABLE', 'Recording is not available on this server.');
    const starting = (async () => {
      const room = await media.room();
      const recorder = await SessionRecorder.start({
        sessionId: core.id,
        router: room.router,
        dataDir: deps.dataDir,
        ports: deps.ports,
        signingKey: deps.signingKey,
        log: this.ctx.log as RecorderLog,
      });
      this.current = recorder;
      this.tracked.clear();
      this.followRecorder(recorder);
      await core.commit(actor, 'recording.started', { recordingId: recorder.recordingId }, { record: { recording: true } });
      return recorder.recordingId;
    })();
    this.starting = starting;
    try {
      const id = await starting;
      await this.sync();
      return id;
    } finally {
      this.starting = undefined;
    }
  }

  private followRecorder(recorder: SessionRecorder): void {
    const { core, log } = this.ctx;
    const recordingId = recorder.recordingId;
    const commit = (task: () => Promise<unknown>) =>
      void this.run(task).catch((err: Error) => log.warn({ err: err.message }, 'recording event not recorded'));
    recorder.on('segment', (s: SegmentStarted) =>
      commit(() =>
        core.commit(recorderActor, 'recording.segment', { recordingId, trackId: s.trackId, segment: s.segment, start: s.start }),
      ),
    );
    recorder.on('gap', (g) => commit(() => core.commit(recorderActor, 'recording.gap', { recordingId, ...g })));
    recorder.on('failed', (f) => log.error({ recordingId, trackId: f.trackId, reason: f.reason }, 'recorder track failed'));
  }

  private syncing: Promise<void> = Promise.resolve();

  /** Adds and removes tracks so the recorder holds exactly the producers the audience rule gives it; one pass at a time. */
  private sync(): Promise<void> {
    this.syncing = this.syncing
      .then(() => this.syncOnce())
      .catch((err: Error) => this.ctx.log.warn({ err: err.message }, 'recording sync failed'));
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const recorder = this.current;
    const { core, media, log } = this.ctx;
    if (!recorder || !media.hasRoom) return;
    const room = await media.room();
    const rooms = recordedRooms(core.record.caucuses);
    for (const peer of room.peers.values()) {
      const seat = core.seats.get(peer.seatId);
      for (const producer of peer.producers.values()) {
        const location = seat?.location ?? jointRoom;
        const wanted = !producer.closed && seat !== undefined && mayReceive({ kind: 'recorder', rooms }, { seatId: peer.seatId, location });
        if (wanted && !this.tracked.has(producer.id)) {
          this.tracked.add(producer.id);
          producer.observer.once('close', () => this.tracked.delete(producer.id));
          const meta = {
            seatId: peer.seatId,
            maskedName: maskPii(seat.displayName),
            role: seat.role,
            source: producer.appData.source,
            room: location,
          };
          await recorder.addTrack(producer, meta).catch((err: Error) => {
            this.tracked.delete(producer.id);
            log.warn({ producerId: producer.id, err: err.message }, 'producer not recorded');
          });
        } else if (!wanted && this.tracked.has(producer.id)) {
          this.tracked.delete(producer.id);
          void recorder.removeTrack(producer.id).catch(() => undefined);
        }
      }
    }
  }

  /** Stops the current recording: tracks stop at once, then the manifest is signed, the stop committed and the composite queued. */
  private finish(actor: EventActor, run: QueueRun): Promise<Stopped> | undefined {
    const recorder = this.current;
    const deps = this.deps;
    if (!recorder || !deps) return undefined;
    this.current = undefined;
    this.tracked.clear();
    const { core } = this.ctx;
    // Started now, before anything async: at session end the room closes right after this event.
    const tracksStopped = Promise.all(recorder.tracks.map((t) => t.stop()));
    const done = (async (): Promise<Stopped> => {
      await tracksStopped;
      await recorder.stop(await deps.auditHead(core.id));
      const manifestSha256 = await sha256File(join(recorder.dir, manifestFileName));
      const recordingId = recorder.recordingId;
      // Still recording if a new recording began while this one was being finalized.
      await run(() =>
        core.commit(actor, 'recording.stopped', { recordingId, manifestSha256 }, { record: { recording: this.current !== undefined } }),
      );
      await deps.enqueueComposite(core.id, recordingId);
      return { recordingId, manifestSha256 };
    })();
    this.finishing.add(done);
    void done.catch(() => undefined).finally(() => this.finishing.delete(done));
    return done;
  }
}
