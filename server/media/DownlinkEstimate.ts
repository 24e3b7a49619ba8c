import type { types } from 'mediasoup';
import { lowestVideoKbit } from '../../signaling/cameraLayers.js';

/** Once a second: the client's downlink guard samples at the same pace, and one stats call per seat is cheap. */
const pollMs = 1000;
/** Below this the client holds received video back (the same mark as DownlinkGuard's resumeKbit: layer 0 and audio). */
const thinKbit = lowestVideoKbit;
/** While the estimate stays thin, a probe this often; each is about 1 KB, under 0.3 s of a 30 kbit/s link. */
const probeEveryS = 3;
/** What a probe asks the link for: well above thinKbit, small enough that the probe stays short. */
const probeKbit = 500;

type Listener = (seatId: string, availableKbit: number) => void;
type Watched = { seatId: string; transport: types.WebRtcTransport; wantsVideo: () => boolean; sinceProbe: number; capped: boolean };

/**
 * The SFU's own estimate of each seat's downlink: the transport-cc bandwidth
 * estimate (`availableOutgoingBitrate`) of the seat's receive WebRtcTransport.
 *
 * A village whose received video is held back measures nothing but audio, which
 * looks the same on a link that has cleared as on one still too thin (bench
 * S4: video stayed paused 14–20 s after the link cleared). This figure tells
 * the client when the lowest layer fits again.
 *
 * On its own the estimate climbs back slowly: after a 30 kbit/s spell libwebrtc's
 * congestion control grows it by a few kbit/s a second (bench S4: 15.7 s to reach
 * the lowest layer). It probes the link when its maximum rises, so while a seat
 * that wants video has a thin estimate, every few seconds the transport's
 * maximum is set to the estimate and then raised to probeKbit: a short probe
 * that lifts the estimate at once when the link has cleared. The cap is lifted
 * when the estimate is back above the thin mark (or no video is wanted).
 */
export class DownlinkEstimate {
  private readonly transports = new Map<string, Watched>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly onEstimate: Listener) {}

  /** Starts polling a receive transport; it is forgotten when it closes. */
  watch(seatId: string, transport: types.WebRtcTransport, wantsVideo: () => boolean = () => true): void {
    this.transports.set(transport.id, { seatId, transport, wantsVideo, sinceProbe: 0, capped: false });
    transport.observer.once('close', () => this.transports.delete(transport.id));
    this.timer ??= setInterval(() => void this.poll(), pollMs);
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.transports.clear();
  }

  private async poll(): Promise<void> {
    if (this.transports.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    await Promise.all([...this.transports.values()].map((watched) => this.check(watched).catch(() => undefined)));
  }

  private async check(watched: Watched): Promise<void> {
    const { transport } = watched;
    if (transport.closed) return;
    const [stat] = await transport.getStats();
    const bitrate = stat?.availableOutgoingBitrate;
    // Undefined until the transport-cc feedback has produced a first estimate.
    if (bitrate === undefined || bitrate <= 0) return;
    const kbit = Math.round(bitrate / 1000);
    this.onEstimate(watched.seatId, kbit);
    if (kbit >= thinKbit || !watched.wantsVideo()) {
      watched.sinceProbe = 0;
      if (watched.capped) await transport.setMaxOutgoingBitrate(0); // 0: no cap
      watched.capped = false;
      return;
    }
    if (++watched.sinceProbe < probeEveryS) return;
    watched.sinceProbe = 0;
    // mediasoup's floor is 30 kbit/s; the estimate itself is never below it.
    await transport.setMaxOutgoingBitrate(Math.max(30_000, Math.min(bitrate, probeKbit * 1000 - 1000)));
    await transport.setMaxOutgoingBitrate(probeKbit * 1000);
    watched.capped = true;
  }
}
