import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PortPair } from './PortAllocator.js';
import { udpPortsOfProcess } from './udpPorts.js';

export type CaptureExit = { code: number | null; signal: NodeJS.Signals | null; stderr: string };

export class BindFailedError extends Error {
  constructor() {
    super('ffmpeg could not bind its recording ports');
    this.name = 'BindFailedError';
  }
}

/**
 * One `ffmpeg -c copy` reading RTP described by an SDP file and writing one
 * WebM. Flags are the ones the recording note verified: seekable output on a
 * clean stop, at most ~1 s lost on a crash, progress as a liveness signal.
 */
export class CaptureProcess {
  private readonly child: ChildProcess;
  private stderr = '';
  frames = 0;
  outTimeUs = 0;
  readonly exited: Promise<CaptureExit>;
  exitInfo: CaptureExit | undefined;

  constructor(sdpPath: string, outputPath: string, ffmpegPath = 'ffmpeg') {
    const args = [
      '-hide_banner',
      '-loglevel',
      'warning',
      '-y',
      '-protocol_whitelist',
      'file,udp,rtp',
      '-localaddr',
      '127.0.0.1',
      '-i',
      sdpPath,
      '-map',
      '0',
      '-c',
      'copy',
      '-flush_packets',
      '1',
      '-cluster_time_limit',
      '1000',
      '-progress',
      'pipe:1',
      '-stats_period',
      '0.5',
      '-nostats',
      outputPath,
    ];
    // stdin stays a pipe: `q` on it is the clean stop (never -nostdin).
    this.child = spawn(ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdin?.on('error', () => {});
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.readProgress(chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      // Keep the tail only: it is for diagnosis, and a long recording can warn a lot.
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.stderr += String(err.message);
      });
      this.child.on('close', (code, signal) => {
        this.exitInfo = { code, signal, stderr: this.stderr };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private readProgress(chunk: string): void {
    for (const line of chunk.split('\n')) {
      const [key, value] = line.split('=');
      if (key === 'frame') this.frames = Number(value) || this.frames;
      else if (key === 'out_time_us') this.outTimeUs = Number(value) || this.outTimeUs;
    }
  }

  /**
   * Resolves once ffmpeg holds both UDP ports; rejects with BindFailedError if it exits first.
   * The wait is generous: on a loaded 2-core host, ffmpeg's start-up alone took several seconds.
   */
  async waitForBind(ports: PortPair, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitInfo)
        throw /bind failed|Address already in use/i.test(this.exitInfo.stderr)
          ? new BindFailedError()
          : new Error('ffmpeg exited before binding');
      const bound = this.child.pid ? await udpPortsOfProcess(this.child.pid) : new Set<number>();
      if (bound.has(ports.rtp) && bound.has(ports.rtcp)) return;
      await sleep(25);
    }
    throw new Error('ffmpeg did not bind its ports in time');
  }

  quit(): void {
    if (!this.exitInfo) this.child.stdin?.write('q');
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.exitInfo) this.child.kill(signal);
  }

  async waitExit(timeoutMs: number): Promise<CaptureExit | undefined> {
    return Promise.race([this.exited, sleep(timeoutMs).then(() => undefined)]);
  }
}
