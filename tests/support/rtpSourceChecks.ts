import { runProcess } from '../../recordings/remux.js';

export type Probe = { durationS: number; streams: { codec_type: string; codec_name: string }[] };

/** ffprobe's view of a media file: container duration and streams. */
export async function probeMedia(file: string): Promise<Probe> {
  const { code, stdout, stderr } = await runProcess('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]);
  if (code !== 0) throw new Error(`ffprobe failed on ${file}: ${stderr}`);
  const json = JSON.parse(stdout) as { format: { duration?: string }; streams: Probe['streams'] };
  return { durationS: Number(json.format.duration), streams: json.streams };
}

/**
 * The null muxer's complaint about two packets with the same millisecond
 * timestamp. A simulcast layer switch can put two frames that close together
 * (recording-ffmpeg note: "harmless … from the null muxer"); it is about
 * muxing the decoded frames into nothing, not about decoding them.
 */
const nullMuxerTimestampNote = /non monotonically increasing dts to muxer/;

/** Full decode; returns what ffmpeg complains about (empty when the file is clean). */
export async function decodeErrors(file: string): Promise<string> {
  const { code, stderr } = await runProcess('ffmpeg', ['-v', 'error', '-i', file, '-fps_mode', 'passthrough', '-f', 'null', '-']);
  const complaints = stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !nullMuxerTimestampNote.test(line))
    .join('\n');
  return code === 0 ? complaints : `exit ${code}: ${stderr.trim()}`;
}
