import { runProcess } from '../../recordings/remux.js';

export type Probe = { durationS: number; streams: { codec_type: string; codec_name: string }[] };

/** ffprobe's view of a media file: container duration and streams. */
export async function probeMedia(file: string): Promise<Probe> {
  const { code, stdout, stderr } = await runProcess('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]);
  if (code !== 0) throw new Error(`ffprobe failed on ${file}: ${stderr}`);
  const json = JSON.parse(stdout) as { format: { duration?: string }; streams: Probe['streams'] };
  return { durationS: Number(json.format.duration), streams: json.streams };
}

/** Full decode; returns what ffmpeg complains about (empty when the file is clean). */
export async function decodeErrors(file: string): Promise<string> {
  const { code, stderr } = await runProcess('ffmpeg', ['-v', 'error', '-i', file, '-fps_mode', 'passthrough', '-f', 'null', '-']);
  return code === 0 ? stderr.trim() : `exit ${code}: ${stderr.trim()}`;
}
