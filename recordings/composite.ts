import { spawn } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { compositeArgs } from './compositeGraph.js';
import { compositeFileName } from './ids.js';
import { describeFile, type Manifest, readManifest, writeSignedManifest } from './manifest.js';
import { type RecorderLog, silentLog } from './recorderLog.js';
import { probeDuration } from './remux.js';

export type CompositeProgress = { percent: number; etaSeconds: number | undefined };

/** A running composite encode; `kill()` is what a crash of the job looks like. */
export type CompositeRun = { done: Promise<Manifest>; kill(): void; pid: number | undefined };

/**
 * Builds DIR/composite.mp4 (H.264 veryfast + AAC) from the signed manifest,
 * reporting progress from ffmpeg's out_time against the session length, then
 * adds the composite to the manifest and signs it again.
 */
export function buildComposite(
  dir: string,
  key: KeyObject,
  onProgress: (p: CompositeProgress) => void,
  log: RecorderLog = silentLog,
): CompositeRun {
  let killed = false;
  let child: ReturnType<typeof spawn> | undefined;
  const partial = join(dir, 'composite.partial.mp4');
  const done = (async () => {
    const manifest = await readManifest(dir);
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      ...compositeArgs(manifest, (name) => join(dir, name)),
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '23',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '96k',
      '-movflags',
      '+faststart',
      '-progress',
      'pipe:1',
      '-nostats',
      '-f',
      'mp4',
      partial,
    ];
    const totalUs = Math.max(1, manifest.durationMs * 1000);
    const began = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      if (killed) child.kill('SIGKILL');
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        const last = [...chunk.matchAll(/out_time_us=(\d+)/g)].at(-1);
        if (!last) return;
        const fraction = Math.min(1, Number(last[1]) / totalUs);
        const wall = (Date.now() - began) / 1000;
        onProgress({
          percent: Math.round(fraction * 1000) / 10,
          etaSeconds: fraction > 0 ? Math.round((wall / fraction) * (1 - fraction)) : undefined,
        });
      });
      child.on('error', () => resolve(-1));
      child.on('close', (c) => {
        if (c !== 0 && !killed) log.error({ code: c, stderr: stderr.slice(-500) }, 'composite ffmpeg failed');
        resolve(c);
      });
    });
    if (killed) throw new Error('composite job was killed');
    if (code !== 0) {
      await rm(partial, { force: true });
      throw new Error(`composite ffmpeg exited ${code}`);
    }
    await rename(partial, join(dir, compositeFileName));
    const seconds = (await probeDuration(join(dir, compositeFileName))) ?? 0;
    const updated: Manifest = {
      ...manifest,
      composite: { file: compositeFileName, ...(await describeFile(dir, compositeFileName)), durationMs: Math.round(seconds * 1000) },
    };
    await writeSignedManifest(dir, updated, key);
    onProgress({ percent: 100, etaSeconds: 0 });
    return updated;
  })();
  return {
    done,
    kill() {
      killed = true;
      child?.kill('SIGKILL');
    },
    get pid() {
      return child?.pid;
    },
  };
}
