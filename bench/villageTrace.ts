/** bench/village-network's samples of a page and its per-second trace lines (TRACE=1). */
type Signal = {
  t: number;
  type: string;
  data: { availableKbit?: number; layers?: { spatialLayer: number; temporalLayer: number } | null };
};
export type Sample = {
  t: number;
  audio: { concealed: number; total: number };
  video: Video | undefined;
  paused: boolean;
  uplinkKbit: number;
  /** The widest camera layer the page sends now (px). */
  uplinkWidth: number;
  /** Camera encodings the page's uplink governor allows. */
  uplinkAllowed: number;
  signals: Signal[];
};
export type Video = {
  frames: number;
  fps: number;
  width: number;
  height: number;
  freezeCount: number;
  freezeS: number;
  /** Video packets lost and received, summed over every received camera stream (what the downlink guard's badge reads). */
  lost?: number;
  received?: number;
};

/**
 * One entry per second: new frames, whether the placeholder showed, the share of video packets lost (~n%, when any),
 * the last estimate and layers the SFU sent (×n: n estimates arrived in that second, a stalled socket's backlog),
 * W: a new signalling socket opened.
 */
export function traceLine(trace: { at: number; s: Sample }[], cleared: number): string {
  const seconds = new Map<
    number,
    { frames: number; paused: boolean; kbit?: number; estimates: number; layers?: string; opened: boolean; lost: number; received: number }
  >();
  let lastFrames: number | undefined;
  let last: Video | undefined;
  for (const { at, s } of trace) {
    const sec = Math.floor((at - cleared) / 1000);
    const entry = seconds.get(sec) ?? { frames: 0, paused: false, estimates: 0, opened: false, lost: 0, received: 0 };
    seconds.set(sec, entry);
    const frames = s.video?.frames ?? 0;
    if (lastFrames !== undefined) entry.frames += Math.max(0, frames - lastFrames);
    lastFrames = frames;
    // The sums fall when a stream closes: such a sample only starts the next difference.
    if (s.video && last && (s.video.lost ?? 0) >= (last.lost ?? 0) && (s.video.received ?? 0) >= (last.received ?? 0)) {
      entry.lost += (s.video.lost ?? 0) - (last.lost ?? 0);
      entry.received += (s.video.received ?? 0) - (last.received ?? 0);
    }
    last = s.video;
    entry.paused ||= s.paused;
    for (const signal of s.signals) {
      if (signal.data.availableKbit !== undefined) {
        entry.kbit = signal.data.availableKbit;
        entry.estimates++;
      }
      entry.opened ||= signal.type === 'ws:open';
      if (signal.type === 'consumer:layers')
        entry.layers = signal.data.layers ? `${signal.data.layers.spatialLayer}:${signal.data.layers.temporalLayer}` : 'none';
    }
  }
  return [...seconds.entries()]
    .map(
      ([sec, e]) =>
        `${sec}:${e.frames}${e.paused ? 'P' : ''}${lossMark(e.lost, e.received)}${e.kbit !== undefined ? `/${e.kbit}${e.estimates > 1 ? `×${e.estimates}` : ''}` : ''}${e.layers ? `/L${e.layers}` : ''}${e.opened ? 'W' : ''}`,
    )
    .join(' ');
}

/** "~n%" for a second that lost video packets, "" for one that lost none. */
function lossMark(lost: number, received: number): string {
  return lost > 0 ? `~${Math.round((100 * lost) / (lost + received))}%` : '';
}

/** The page's own uplink per second: its estimate (kbit/s), the widest camera layer it sends, the layers its governor allows. */
export function uplinkLine(trace: { at: number; s: Sample }[], from: number): string {
  const seconds = new Map<number, Sample>();
  for (const { at, s } of trace) seconds.set(Math.floor((at - from) / 1000), s);
  return [...seconds.entries()].map(([sec, s]) => `${sec}:${Math.round(s.uplinkKbit)}/${s.uplinkWidth}/${s.uplinkAllowed}`).join(' ');
}

/**
 * Sample by sample (every 100 ms) from `fromS` to `toS` seconds after `cleared`: new frames, P while the placeholder
 * banner shows. The per-second line hides how a backlog burst and the banner interleave within a second.
 */
export function sampleLine(trace: { at: number; s: Sample }[], cleared: number, fromS: number, toS: number): string {
  const out: string[] = [];
  let lastFrames: number | undefined;
  for (const { at, s } of trace) {
    const t = (at - cleared) / 1000;
    const frames = s.video?.frames ?? 0;
    const fresh = lastFrames === undefined ? 0 : Math.max(0, frames - lastFrames);
    lastFrames = frames;
    if (t >= fromS && t < toS) out.push(`${t.toFixed(1)}:${fresh}${s.paused ? 'P' : ''}`);
  }
  return out.join(' ');
}
