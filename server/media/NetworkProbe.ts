import type { types } from 'mediasoup';
import { CourtLinkError, type MediaKind, type RtpParameters } from '../../signaling/index.js';
import { mediaCodecs } from './mediaCodecs.js';
import { mediaCall } from './mediaErrors.js';
import { webRtcTransportOptions } from './transportOptions.js';
import type { WorkerSlot } from './WorkerPool.js';

const lifetimeMs = 30_000;

/**
 * The self-test's network check: a throw-away router and transport on the
 * same WebRtcServer ports a real session uses. The browser sends a few
 * packets of silence; whichever protocol ICE settles on (UDP, or TCP when a
 * firewall drops UDP) is the answer. It closes itself after 30 s regardless.
 */
export class NetworkProbe {
  private readonly expiry: NodeJS.Timeout;

  private constructor(
    readonly router: types.Router,
    readonly transport: types.WebRtcTransport,
  ) {
    this.expiry = setTimeout(() => this.close(), lifetimeMs);
    this.expiry.unref();
  }

  static async start(slot: WorkerSlot): Promise<NetworkProbe> {
    const router = await mediaCall(() => slot.worker.createRouter({ mediaCodecs, appData: { probe: true } }));
    try {
      const transport = await mediaCall(() => router.createWebRtcTransport(webRtcTransportOptions(slot, { probe: true })));
      return new NetworkProbe(router, transport);
    } catch (err) {
      router.close();
      throw err;
    }
  }

  get closed(): boolean {
    return this.router.closed;
  }

  async connect(dtlsParameters: types.DtlsParameters): Promise<void> {
    await mediaCall(() => this.transport.connect({ dtlsParameters }));
  }

  async produce(kind: MediaKind, rtpParameters: RtpParameters): Promise<string> {
    if (this.transport.closed) throw new CourtLinkError('CONFLICT', 'The network check has finished.');
    const producer = await mediaCall(() => this.transport.produce({ kind, rtpParameters: rtpParameters as types.RtpParameters }));
    return producer.id;
  }

  /** Which protocol ICE settled on so far; null until the browser's checks got through. */
  protocol(): 'udp' | 'tcp' | null {
    if (this.transport.closed || !['connected', 'completed'].includes(this.transport.iceState)) return null;
    return this.transport.iceSelectedTuple?.protocol ?? null;
  }

  close(): void {
    clearTimeout(this.expiry);
    if (!this.router.closed) this.router.close();
  }
}
