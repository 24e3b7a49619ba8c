import type { types } from 'mediasoup';

/** Once a second: the client's downlink guard samples at the same pace, and one stats call per seat is cheap. */
const pollMs = 1000;

type Listener = (seatId: string, availableKbit: number) => void;

/**
 * The SFU's own estimate of each seat's downlink: the transport-cc bandwidth
 * estimate (`availableOutgoingBitrate`) of the seat's receive WebRtcTransport.
 *
 * A village whose received video is paused measures nothing but audio, which
 * looks the same on a link that has cleared as on one still too thin (bench
 * S4: video stayed paused 14–20 s after the link cleared). mediasoup keeps
 * probing towards what the seat's active consumers want, so this figure tells
 * the client when the lowest layer fits again.
 */
export class DownlinkEstimate {
  private readonly transports = new Map<string, { seatId: string; transport: types.WebRtcTransport }>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly onEstimate: Listener) {}

  /** Starts polling a receive transport; it is forgotten when it closes. */
  watch(seatId: string, transport: types.WebRtcTransport): void {
    this.transports.set(transport.id, { seatId, transport });
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
    await Promise.all(
      [...this.transports.values()].map(async ({ seatId, transport }) => {
        if (transport.closed) return;
        const [stat] = await transport.getStats().catch(() => []);
        const bitrate = stat?.availableOutgoingBitrate;
        // Undefined until the transport-cc feedback has produced a first estimate.
        if (bitrate !== undefined && bitrate > 0) this.onEstimate(seatId, Math.round(bitrate / 1000));
      }),
    );
  }
}
