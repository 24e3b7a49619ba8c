import type { Manifest, ManifestTrack } from './manifest.js';

export const tile = { width: 320, height: 240 };
export const compositeFps = 30;

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function byTrack(entries: ManifestTrack[]): ManifestTrack[][] {
  const groups = new Map<string, ManifestTrack[]>();
  for (const e of entries) groups.set(e.trackId, [...(groups.get(e.trackId) ?? []), e]);
  return [...groups.values()].map((g) => g.sort((a, b) => a.segment - b.segment));
}

/**
 * ffmpeg input and filter arguments for the composite: one tile per video
 * track (its segments placed on the session timeline with tpad and joined
 * with concat), a grid by xstack, all audio segments shifted to their
 * offsets and mixed. Recipe and pitfalls (-reinit_filter 0, aresample
 * async=1) are from the recording note.
 */
export function compositeArgs(manifest: Manifest, fileOf: (name: string) => string): string[] {
  const args: string[] = [];
  const filters: string[] = [];
  const durationS = seconds(manifest.durationMs);
  let input = 0;

  const tiles: string[] = [];
  for (const segments of byTrack(manifest.tracks.filter((t) => t.kind === 'video'))) {
    const parts: string[] = [];
    let cursor = 0;
    for (const seg of segments) {
      args.push('-reinit_filter', '0', '-i', fileOf(seg.file));
      const label = `v${input}`;
      filters.push(
        `[${input}:v]setpts=PTS-STARTPTS,scale=${tile.width}:${tile.height}:force_original_aspect_ratio=decrease,` +
          `pad=${tile.width}:${tile.height}:-1:-1:color=black,setsar=1,fps=${compositeFps},` +
          `tpad=start_duration=${seconds(Math.max(0, seg.start - cursor))}:color=black[${label}]`,
      );
      cursor = seg.end;
      parts.push(`[${label}]`);
      input++;
    }
    const name = `tile${tiles.length}`;
    filters.push(parts.length === 1 ? `${parts[0]}null[${name}]` : `${parts.join('')}concat=n=${parts.length}:v=1:a=0[${name}]`);
    tiles.push(`[${name}]`);
  }
  if (tiles.length === 0) {
    args.push('-f', 'lavfi', '-i', `color=c=black:s=${tile.width}x${tile.height}:r=${compositeFps}`);
    filters.push(`[${input}:v]null[tile0]`);
    tiles.push('[tile0]');
    input++;
  }
  const cols = Math.ceil(Math.sqrt(tiles.length));
  const layout = tiles.map((_, i) => `${(i % cols) * tile.width}_${Math.floor(i / cols) * tile.height}`).join('|');
  filters.push(
    tiles.length === 1 ? `${tiles[0]}null[grid]` : `${tiles.join('')}xstack=inputs=${tiles.length}:layout=${layout}:fill=black[grid]`,
    // Tracks that end early must not shorten the picture: pad with black to the session's length.
    `[grid]tpad=stop_mode=add:stop_duration=${durationS}:color=black[vout]`,
  );

  const audio: string[] = [];
  for (const seg of manifest.tracks.filter((t) => t.kind === 'audio')) {
    args.push('-i', fileOf(seg.file));
    filters.push(`[${input}:a]asetpts=PTS-STARTPTS+${seconds(seg.start)}/TB,aresample=async=1:first_pts=0[a${input}]`);
    audio.push(`[a${input}]`);
    input++;
  }
  if (audio.length === 0) {
    args.push('-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo');
    audio.push(`[${input}:a]`);
    input++;
  }
  filters.push(`${audio.join('')}amix=inputs=${audio.length}:duration=longest:normalize=0,apad[aout]`);

  args.push('-filter_complex', filters.join(';'), '-map', '[vout]', '-map', '[aout]', '-t', durationS);
  return args;
}
