import { spawn } from 'node:child_process';
import { rename, rm, stat } from 'node:fs/promises';

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
    child.on('error', (err) => (stderr += err.message));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Media duration in seconds as ffprobe reads it, or undefined for an unreadable file. */
export async function probeDuration(file: string): Promise<number | undefined> {
  const { code, stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  const seconds = Number.parseFloat(stdout.trim());
  return code === 0 && Number.isFinite(seconds) ? seconds : undefined;
}

/**
 * A WebM whose ffmpeg did not exit cleanly has no Cues and no Duration;
 * `ffmpeg -i partial -c copy fixed` restores both (see the recording note).
 * Returns false when nothing readable was left, and then removes the file.
 */
export async function remuxInPlace(file: string): Promise<boolean> {
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (size === 0) {
    await rm(file, { force: true });
    return false;
  }
  const fixed = `${file}.fixed.webm`;
  const { code } = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', file, '-map', '0', '-c', 'copy', fixed]);
  if (code !== 0) {
    await rm(fixed, { force: true });
    await rm(file, { force: true });
    return false;
  }
  await rename(fixed, file);
  return true;
}

export { run as runProcess };
