import { EventEmitter } from 'node:events';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import { BindFailedError, type CaptureExit, CaptureProcess } from './CaptureProcess.js';
import { segmentFileName } from './ids.js';
import type { JournalSegment, JournalTrack } from './journal.js';
import type { ManifestGap } from './manifest.js';
import type { PortAllocator, PortPair } from './PortAllocator.js';
import type { RecorderLog } from './recorderLog.js';
import { probeDuration, remuxInPlace } from './remux.js';
import { recorderSdp } from './sdp.js';

export type SegmentStarted = { trackId: string; producerId: string; segment: number; file: string; start: number };
export type TrackRecorderEvents = {
  segment: [SegmentStarted];
  gap: [ManifestGap];
  trackStarted: [SegmentStarted];
  trackStopped: [{ trackId: string; producerId: string }];
  failed: [{ trackId: string; producerId: string; reason: string }];
};

type Pipeline = {
  ports: PortPair;
  transport: types.PlainTransport;
  consumer: types.Consumer;
  capture: CaptureProcess;
  segment: JournalSegment;
  sdpPath: string;
  watchdog: NodeJS.Timeout | undefined;
};

export type TrackRecorderOptions = {
  router: types.Router;
  producer: types.Producer;
  track: JournalTrack;
  trackIndex: number;
  dir: string;
  ports: PortAllocator;
  /** Milliseconds since the recording started. */
  elapsed: () => number;
  /** Persist the journal after the track's segments changed. */
  persist: () => Promise<void>;
  /** Add a gap to the recording's journal (the manifest lists every gap). */
  recordGap: (gap: ManifestGap) => void;
  log: RecorderLog;
};

const bindAttempts = 5;

/**
 * Records one producer: PlainTransport → paused consumer → ffmpeg -c copy →
 * WebM. If ffmpeg dies, the next segment starts and the gap between them is
 * reported. Follows the recording note: ffmpeg runs only while the producer
 * is active, the consumer resumes only once ffmpeg holds its ports, and a
 * watchdog asks for a keyframe whenever video frames stop arriving.
 */
export class TrackRecorder extends EventEmitter<TrackRecorderEvents> {
  private pipeline: Pipeline | undefined;
  private launching: Promise<void> | undefined;
  /** Set while a segment whose ffmpeg died is being finalized; stop() waits for it. */
  private closing: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;
  private stopping = false;
  private abandoned = false;
  private started = false;
  private pendingGapStart: number | undefined;
  private readonly onProducerResume = () => this.launchIfIdle();

  constructor(private readonly opts: TrackRecorderOptions) {
    super();
  }

  get trackId(): string {
    return this.opts.track.trackId;
  }

  get producerId(): string {
    return this.opts.producer.id;
  }

  /** The running ffmpeg's pid, for measurement and crash tests. */
  get capturePid(): number | undefined {
    return this.pipeline?.capture.pid;
  }

  get consumer(): types.Consumer | undefined {
    return this.pipeline?.consumer;
  }

  start(): void {
    this.opts.producer.observer.on('resume', this.onProducerResume);
    this.launchIfIdle();
  }

  private launchIfIdle(): void {
    const { producer } = this.opts;
    if (this.stopping || this.abandoned || this.pipeline || this.launching || this.closing || producer.paused || producer.closed) return;
    this.launching = this.launch()
      .catch((err: Error) => {
        this.opts.log.error({ trackId: this.trackId, err: err.message }, 'recorder track could not start');
        this.emit('failed', { trackId: this.trackId, producerId: this.producerId, reason: err.message });
      })
      .finally(() => {
        this.launching = undefined;
      });
  }

  private async launch(): Promise<void> {
    const { router, producer, track, dir, ports } = this.opts;
    const mime = track.kind === 'video' ? 'video/vp8' : 'audio/opus';
    const codecs = router.rtpCapabilities.codecs?.filter((c) => c.mimeType.toLowerCase() === mime) ?? [];
    for (let attempt = 0; attempt < bindAttempts; attempt++) {
      const pair = await ports.acquire();
      const transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: false, comedia: false });
      await transport.connect({ ip: '127.0.0.1', port: pair.rtp, rtcpPort: pair.rtcp });
      const consumer = await transport.consume({
        producerId: producer.id,
        rtpCapabilities: { codecs, headerExtensions: [] },
        paused: true,
      });
      const index = track.segments.length;
      const file = segmentFileName(track.kind, this.opts.trackIndex, index);
      const sdpPath = join(dir, `${file}.sdp`);
      const payloadType = consumer.rtpParameters.codecs[0]?.payloadType ?? 0;
      await writeFile(sdpPath, recorderSdp({ kind: track.kind, port: pair.rtp, payloadType, codec: track.codec }));
      const capture = new CaptureProcess(sdpPath, join(dir, file));
      try {
        await capture.waitForBind(pair);
      } catch (err) {
        transport.close();
        capture.kill();
        await rm(sdpPath, { force: true });
        if (err instanceof BindFailedError) {
          ports.markBusy(pair);
          this.opts.log.warn({ port: pair.rtp }, 'recording port pair busy; trying the next');
          continue;
        }
        ports.release(pair);
        throw err;
      }
      const segment: JournalSegment = { segment: index, file };
      track.segments.push(segment);
      const pipeline: Pipeline = { ports: pair, transport, consumer, capture, segment, sdpPath, watchdog: undefined };
      this.pipeline = pipeline;
      await this.opts.persist();
      this.watchFirstPacket(pipeline);
      consumer.on('producerclose', () => void this.stop());
      void capture.exited.then((exit) => this.onCaptureExit(pipeline, exit));
      if (this.stopping || this.abandoned) return;
      // The start offset is the first forwarded packet; trace it once, then turn tracing off (it fires per packet).
      await consumer.enableTraceEvent(['rtp']);
      await consumer.resume();
      if (track.kind === 'video') pipeline.watchdog = this.keyframeWatchdog(pipeline);
      return;
    }
    throw new Error('no recording port pair could be bound');
  }

  private watchFirstPacket(p: Pipeline): void {
    p.consumer.on('trace', (trace) => {
      if (trace.type !== 'rtp' || p.segment.start !== undefined) return;
      const start = this.opts.elapsed();
      p.segment.start = start;
      void p.consumer.enableTraceEvent([]).catch(() => {});
      const fact = { trackId: this.trackId, producerId: this.producerId, segment: p.segment.segment, file: p.segment.file, start };
      if (this.pendingGapStart !== undefined) {
        const gap: ManifestGap = { trackId: this.trackId, start: this.pendingGapStart, end: start, reason: 'recorderCrashed' };
        this.pendingGapStart = undefined;
        this.opts.recordGap(gap);
        this.emit('gap', gap);
      }
      void this.opts.persist();
      if (!this.started) {
        this.started = true;
        this.emit('trackStarted', fact);
      }
      this.emit('segment', fact);
    });
  }

  /** ffmpeg sends no RTCP, so keyframe requests must come from here (see the note: "A watchdog that worked"). */
  private keyframeWatchdog(p: Pipeline): NodeJS.Timeout {
    let frames = -1;
    let changedAt = Date.now();
    return setInterval(() => {
      const now = Date.now();
      if (p.capture.frames !== frames || this.opts.producer.paused || p.consumer.producerPaused) {
        frames = p.capture.frames;
        changedAt = now;
        return;
      }
      if (now - changedAt >= 1000) {
        changedAt = now;
        void p.consumer.requestKeyFrame().catch(() => {});
      }
    }, 250);
  }

  private onCaptureExit(p: Pipeline, exit: CaptureExit): void {
    if (this.stopping || this.abandoned || this.pipeline !== p) return;
    this.pipeline = undefined;
    this.opts.log.warn({ trackId: this.trackId, code: exit.code, signal: exit.signal }, 'recorder ffmpeg exited mid-recording');
    const hadData = p.segment.start !== undefined;
    this.closing = this.closePipeline(p, exit).then(() => {
      if (hadData) this.pendingGapStart = p.segment.end ?? p.segment.start;
      this.closing = undefined;
      this.launchIfIdle();
    });
  }

  /** Ends one segment: closes media, frees the ports, finalizes the file (remux if ffmpeg did not exit 0) and sets its end. */
  private async closePipeline(p: Pipeline, exit: CaptureExit | undefined): Promise<void> {
    clearInterval(p.watchdog);
    p.transport.close();
    this.opts.ports.release(p.ports);
    await rm(p.sdpPath, { force: true });
    const path = join(this.opts.dir, p.segment.file);
    const start = p.segment.start;
    const kept = start !== undefined && (exit?.code === 0 || (await remuxInPlace(path)));
    const seconds = kept ? await probeDuration(path) : undefined;
    if (start === undefined || seconds === undefined) {
      // Nothing was recorded in this segment: no file, no entry.
      await rm(path, { force: true });
      const segments = this.opts.track.segments;
      segments.splice(segments.indexOf(p.segment), 1);
    } else {
      p.segment.end = start + Math.round(seconds * 1000);
    }
    await this.opts.persist();
  }

  /**
   * The note's stop procedure: keyframe request (video), `q`, close the
   * transport after ~1 s so ffmpeg's own no-data timeout ends it, and as a
   * last resort SIGKILL + remux. Bounded at about 14 s.
   */
  stop(): Promise<void> {
    this.stopped ??= this.finish();
    return this.stopped;
  }

  private async finish(): Promise<void> {
    this.stopping = true;
    this.opts.producer.observer.off('resume', this.onProducerResume);
    await this.closing;
    await this.launching;
    const p = this.pipeline;
    this.pipeline = undefined;
    if (p) {
      if (this.opts.track.kind === 'video') await p.consumer.requestKeyFrame().catch(() => {});
      p.capture.quit();
      let exit = await p.capture.waitExit(1000);
      if (!exit) {
        p.transport.close();
        exit = await p.capture.waitExit(12_000);
      }
      if (!exit) {
        p.capture.kill('SIGKILL');
        exit = await p.capture.exited;
      }
      await this.closePipeline(p, exit);
    }
    if (this.pendingGapStart !== undefined) {
      const gap: ManifestGap = { trackId: this.trackId, start: this.pendingGapStart, end: this.opts.elapsed(), reason: 'recorderCrashed' };
      this.pendingGapStart = undefined;
      this.opts.recordGap(gap);
      this.emit('gap', gap);
    }
    this.emit('trackStopped', { trackId: this.trackId, producerId: this.producerId });
  }

  /** Drop the track without finalizing anything: what a process death leaves behind for repairInterrupted. */
  abandon(): void {
    this.abandoned = true;
    this.opts.producer.observer.off('resume', this.onProducerResume);
    const p = this.pipeline;
    this.pipeline = undefined;
    if (!p) return;
    clearInterval(p.watchdog);
    p.capture.kill('SIGKILL');
    p.transport.close();
    this.opts.ports.release(p.ports);
  }
}
