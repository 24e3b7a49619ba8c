/** The window over which new frames count as "this second" (the guard's samples are a second long). */
const secondMs = 1000;

type Seen = { frames: number; lastNewAt: number | undefined; recent: { at: number; n: number }[] };

/**
 * When each received video last decoded a new frame, and how many it decoded in the last second, from its
 * `framesDecoded` read now and then: by the stats loop each second, and by its glances in between while a
 * video is at risk (DownlinkController.glancing). A new frame is dated when it is seen, so a video looks
 * fresher than it is, never more frozen: a pause on the clock is never early.
 */
export class FrameClock {
  private readonly seen = new Map<string, Seen>();

  /** A video's frames decoded so far, read at `at` (ms). A count that went down is a new stream: it starts afresh. */
  note(consumerId: string, framesDecoded: number, at: number): void {
    const before = this.seen.get(consumerId);
    if (!before || framesDecoded < before.frames) {
      // A new stream is seen within a second of its start (the stats loop reads every video each second): its frames so
      // far are this second's. Bench S4: the village's camera on its fresh connection showed its first frames at 2.6 s,
      // and the placeholder stayed until two more had come, at 3.2 s.
      const recent = framesDecoded > 0 ? [{ at, n: framesDecoded }] : [];
      this.seen.set(consumerId, { frames: framesDecoded, lastNewAt: framesDecoded > 0 ? at : undefined, recent });
      return;
    }
    if (framesDecoded > before.frames) {
      before.recent.push({ at, n: framesDecoded - before.frames });
      before.lastNewAt = at;
      before.frames = framesDecoded;
    }
    before.recent = before.recent.filter((r) => at - r.at < secondMs);
  }

  /** Milliseconds since the video's last new frame; undefined before its first (a video still starting is not frozen). */
  sinceFrame(consumerId: string, at: number): number | undefined {
    const lastNewAt = this.seen.get(consumerId)?.lastNewAt;
    return lastNewAt === undefined ? undefined : at - lastNewAt;
  }

  /** New frames seen within the last second. */
  lastSecond(consumerId: string, at: number): number {
    return (this.seen.get(consumerId)?.recent ?? []).filter((r) => at - r.at < secondMs).reduce((sum, r) => sum + r.n, 0);
  }

  forget(present: ReadonlySet<string>): void {
    for (const id of this.seen.keys()) if (!present.has(id)) this.seen.delete(id);
  }
}
