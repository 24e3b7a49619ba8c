import { Device, type types } from 'mediasoup-client';
import { cameraLayers, opusKbit } from '../../../signaling/cameraLayers.js';
import type { MediaSource, NewConsumer, RequestOf, TransportOptions } from '../../../signaling/index.js';
import { bridgeTransport } from './bridgeTransport.js';
import { Emitter } from './Emitter.js';
import { RoomError, type Signaling } from './Signaling.js';
import type { UplinkDecision } from './UplinkGovernor.js';

export type RemoteMedia = {
  consumerId: string;
  seatId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  track: MediaStreamTrack;
  /** The sender paused it (muted, camera off, host mute). */
  producerPaused: boolean;
  /**
   * Not on screen because we hold it back ourselves: audio-only mode, or the downlink guard while no frames
   * arrive (see MediaSession.setVideoMode and showHeld).
   */
  paused: boolean;
};

/** 'held': the layers asked for flow, but the tile shows the placeholder until frames arrive (DownlinkGuard.upstream). */
export type VideoMode = 'on' | 'held' | 'thin' | 'off';

type MediaSessionEvents = { change: [] };

/**
 * Three simulcast layers so the SFU can send each receiver what its network
 * carries: 320x180, 640x360 and 1280x720 from a 720p camera (Chrome sends only
 * two layers below 960x540, so the camera is opened at 1280x720). The lowest is
 * small and slow enough for a 100 kbit/s link (signaling/cameraLayers.ts).
 */
const cameraEncodings: RTCRtpEncodingParameters[] = cameraLayers.map((layer, i) => ({
  rid: `r${i}`,
  scaleResolutionDownBy: layer.scaleDownBy,
  maxBitrate: layer.maxKbit * 1000,
  ...(layer.maxFps !== undefined ? { maxFramerate: layer.maxFps } : {}),
}));
/** Chrome's own start estimate for a connection it knows nothing of; a renewal starts higher (renewCamera). */
const cameraStartKbit = 300;
const cameraConstraints: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };

/**
 * Speech first: Opus with in-band FEC and DTX (silence costs almost nothing on
 * a village link), and audio packets ahead of video in the browser's send
 * queue. DTX was off for a while because tests/e2e/multiparty.test.ts named no
 * speaker with it; the cause was a late-admitted peer never told the current
 * speaker (fixed in the Notifier), not the observer: mediasoup's
 * ActiveSpeakerObserver fills the silent gaps of DTX itself (LevelTimedOut).
 */
const micEncoding = (kbit: number): RTCRtpEncodingParameters & { networkPriority: RTCPriorityType } => ({
  maxBitrate: kbit * 1000,
  priority: 'high',
  networkPriority: 'high',
});

/**
 * One attempt at the session's media: the mediasoup-client Device, a send and
 * a receive transport, our producers and the consumers the server offers.
 * After a reconnect the RoomClient throws it away and starts a new one.
 */
export class MediaSession extends Emitter<MediaSessionEvents> {
  private sendTransport: types.Transport | undefined;
  /** The camera's own send transport once renewCamera() has moved it; until then the camera uses sendTransport. */
  private cameraTransport: types.Transport | undefined;
  private renewing = false;
  private recvTransport: types.Transport | undefined;
  private readonly producers = new Map<MediaSource, types.Producer>();
  /** `mode` is what the server took, `requested` what we last asked for (a thin link may hold the request up for seconds). */
  private readonly consumers = new Map<string, { consumer: types.Consumer; remote: RemoteMedia; mode: VideoMode; requested: VideoMode }>();
  private closed = false;
  private cameraLayers = cameraEncodings.length;
  private audioKbit: number = opusKbit.normal;

  constructor(
    private readonly signaling: Signaling,
    private readonly device: Device,
  ) {
    super();
  }

  static createDevice(): Device {
    return new Device();
  }

  get remote(): RemoteMedia[] {
    return [...this.consumers.values()].map((c) => c.remote);
  }

  async start(options: { publish: boolean }): Promise<void> {
    if (!this.device.loaded) {
      const { rtpCapabilities } = await this.signaling.request('media:capabilities', {});
      await this.device.load({ routerRtpCapabilities: rtpCapabilities as types.RtpCapabilities });
    }
    this.recvTransport = await this.createTransport('recv');
    if (options.publish) this.sendTransport = await this.createTransport('send');
    await this.signaling.request('media:ready', {
      rtpCapabilities: this.device.recvRtpCapabilities as RequestOf<'media:ready'>['rtpCapabilities'],
    });
  }

  /** `startKbit`: the camera's connection starts its estimate here (x-google-start-bitrate), if it is new. */
  async publish(track: MediaStreamTrack, source: MediaSource, startKbit = cameraStartKbit): Promise<void> {
    const transport = (source === 'camera' ? this.cameraTransport : undefined) ?? this.sendTransport;
    if (!transport || this.closed) return;
    const existing = this.producers.get(source);
    if (existing && !existing.closed) {
      await existing.replaceTrack({ track });
      return;
    }
    // Where the device allows; a camera that cannot do 720p keeps what it has.
    if (source === 'camera') await track.applyConstraints(cameraConstraints).catch(() => undefined);
    const producer = await transport.produce({
      track,
      stopTracks: false,
      appData: { source },
      ...(source === 'camera' ? { encodings: cameraEncodings, codecOptions: { videoGoogleStartBitrate: startKbit } } : {}),
      ...(source === 'mic'
        ? { encodings: [micEncoding(this.audioKbit)], codecOptions: { opusDtx: true, opusFec: true, opusStereo: false } }
        : {}),
    });
    if (source === 'camera' && this.cameraLayers < cameraEncodings.length) await producer.setMaxSpatialLayer(this.cameraLayers - 1);
    this.producers.set(source, producer);
    producer.on('transportclose', () => this.producers.delete(source));
  }

  isSending(source: MediaSource): boolean {
    const producer = this.producers.get(source);
    return producer !== undefined && !producer.closed && !producer.paused;
  }

  /**
   * Moves the camera onto a fresh send transport (UplinkRenewal decides when). After heavy loss Chrome's
   * estimate of a connection climbs back about 25 kbit/s a second (bench S4: 640 px from the village 12 s after
   * the clear, or 320 px all window); a new connection starts its estimate afresh and probes the link at once.
   * The sound stays on its transport and never breaks. The camera breaks for the moment a new producer takes:
   * the server keeps one producer per source, so the old one goes first, on the server before here: a request
   * that fails leaves the camera where it was. Not while the signalling is stalled (bench S4: for seconds after
   * the clear, until SignalWatch resumed the seat), when every request would wait out its timeout.
   * The fresh connection's estimate starts at `startKbit` (UplinkRenewal.startKbit), so a start-up whose probes
   * fail does not leave it at Chrome's 300 kbit/s. Returns whether the camera moved.
   */
  async renewCamera(startKbit: number): Promise<boolean> {
    const old = this.producers.get('camera');
    const track = old?.track;
    if (!old || old.closed || old.paused || !track || track.readyState === 'ended' || this.closed || this.renewing) return false;
    if (!this.signaling.socket.connected || this.signaling.stalled()) return false;
    this.renewing = true;
    const previous = this.cameraTransport;
    try {
      const fresh = await this.createTransport('send');
      await this.closeProducerOnServer(old.id).catch((err: unknown) => {
        void this.closeTransport(fresh).catch(() => undefined);
        throw err;
      });
      old.close();
      this.producers.delete('camera');
      this.cameraTransport = fresh;
      this.cameraLayers = cameraEncodings.length;
      try {
        await this.publish(track, 'camera', startKbit);
      } catch (err) {
        // The camera is off the old connection already: put it back there rather than lose it.
        this.cameraTransport = previous;
        void this.closeTransport(fresh).catch(() => undefined);
        await this.publish(track, 'camera');
        throw err;
      }
      if (previous && !previous.closed) await this.closeTransport(previous);
      return true;
    } finally {
      this.renewing = false;
    }
  }

  /** Pause or resume our own mic or camera, locally and on the server. */
  async setSending(source: MediaSource, enabled: boolean): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer || producer.closed) return;
    if (enabled) {
      producer.resume();
      await this.signaling.request('media:resumeProducer', { producerId: producer.id });
    } else {
      producer.pause();
      await this.signaling.request('media:pauseProducer', { producerId: producer.id });
    }
  }

  async unpublish(source: MediaSource): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer) return;
    producer.close();
    this.producers.delete(source);
    await this.signaling.request('media:closeProducer', { producerId: producer.id });
  }

  /** The host paused our producer on the server; mirror it so our own controls show the truth. */
  markPausedByServer(source: MediaSource): void {
    this.producers.get(source)?.pause();
  }

  async accept(offer: NewConsumer): Promise<void> {
    const transport = this.recvTransport;
    if (!transport || this.closed) throw new Error('no receive transport');
    const consumer = await transport.consume({
      id: offer.consumerId,
      producerId: offer.producerId,
      kind: offer.kind,
      rtpParameters: offer.rtpParameters as types.RtpParameters,
    });
    const remote: RemoteMedia = {
      consumerId: consumer.id,
      seatId: offer.seatId,
      kind: offer.kind,
      source: offer.source,
      track: consumer.track,
      producerPaused: offer.producerPaused,
      paused: false,
    };
    this.consumers.set(consumer.id, { consumer, remote, mode: 'on', requested: 'on' });
    consumer.on('transportclose', () => this.dropConsumer(consumer.id));
    this.emit('change');
  }

  dropConsumer(consumerId: string): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    entry.consumer.close();
    this.consumers.delete(consumerId);
    this.emit('change');
  }

  setProducerPaused(consumerId: string, paused: boolean): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    entry.remote = { ...entry.remote, producerPaused: paused };
    this.emit('change');
  }

  /**
   * How much of one received video we take: 'on' (the layer asked for), 'thin' (the downlink guard: the SFU
   * keeps the consumer active at its lowest spatial and temporal layer, so its bandwidth estimate keeps
   * probing our link, while the tile shows the placeholder) or 'off' (audio-only mode: nothing flows).
   * The mode is recorded only once the server took it, so a request lost on a thin link is sent again.
   * `temporalLayer` caps 'on' on a thin downlink (ThinLinkCap).
   */
  async setVideoMode(consumerId: string, mode: VideoMode, spatialLayer: number, temporalLayer = 2): Promise<void> {
    const entry = this.consumers.get(consumerId);
    if (!entry || entry.mode === mode) return;
    if (entry.requested !== mode) {
      entry.requested = mode;
      // The tile follows at once: the placeholder must not wait for a request a collapsing link holds up (bench S4: 10 s).
      entry.remote = { ...entry.remote, paused: mode !== 'on' };
      this.emit('change');
    }
    if (mode === 'off') {
      entry.consumer.pause();
      await this.signaling.request('media:pauseConsumer', { consumerId });
    } else {
      if (entry.mode === 'off') {
        await this.signaling.request('media:resumeConsumer', { consumerId });
        entry.consumer.resume();
      }
      const layers = mode === 'thin' ? { spatialLayer: 0, temporalLayer: 0 } : { spatialLayer, temporalLayer };
      await this.signaling.request('media:setPreferredLayers', { consumerId, ...layers });
    }
    entry.mode = mode;
  }

  /** A held-back ('thin' or 'held') video goes on screen while its frames arrive steadily, and back to the placeholder when they stop. */
  showHeld(consumerId: string, shown: boolean): void {
    const entry = this.consumers.get(consumerId);
    if ((entry?.requested !== 'thin' && entry?.requested !== 'held') || entry.remote.paused === !shown) return;
    entry.remote = { ...entry.remote, paused: !shown };
    this.emit('change');
  }

  videoMode(consumerId: string): VideoMode | undefined {
    return this.consumers.get(consumerId)?.mode;
  }

  /** Without a temporal layer, mediasoup takes the top one. */
  async preferLayer(consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    const layers = temporalLayer === undefined ? { spatialLayer } : { spatialLayer, temporalLayer };
    await this.signaling.request('media:setPreferredLayers', { consumerId, ...layers });
  }

  /** The uplink governor's decision: fewer camera layers instead of one flapping on and off, and the Opus bitrate. */
  async adaptUplink({ layers, audioKbit }: UplinkDecision): Promise<void> {
    const camera = this.producers.get('camera');
    if (camera && !camera.closed && layers !== this.cameraLayers) await camera.setMaxSpatialLayer(layers - 1);
    this.cameraLayers = layers;
    const mic = this.producers.get('mic');
    if (mic && !mic.closed && audioKbit !== this.audioKbit) await mic.setRtpEncodingParameters(micEncoding(audioKbit));
    this.audioKbit = audioKbit;
  }

  /** 'send' is the camera's connection: the uplink governor decides the camera's layers from its estimate. */
  transportStats(direction: 'send' | 'recv'): Promise<RTCStatsReport> | undefined {
    const transport = direction === 'send' ? (this.cameraTransport ?? this.sendTransport) : this.recvTransport;
    return transport && !transport.closed ? transport.getStats() : undefined;
  }

  stats(consumerId: string): Promise<RTCStatsReport> | undefined {
    return this.consumers.get(consumerId)?.consumer.getStats();
  }

  close(): void {
    this.closed = true;
    this.cameraTransport?.close();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.producers.clear();
    this.consumers.clear();
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const options: TransportOptions = await this.signaling.request('media:createTransport', { direction });
    const params = options as unknown as types.TransportOptions;
    const transport = direction === 'send' ? this.device.createSendTransport(params) : this.device.createRecvTransport(params);
    bridgeTransport(transport, {
      connect: (dtlsParameters) =>
        this.signaling.request('media:connectTransport', {
          transportId: transport.id,
          dtlsParameters: dtlsParameters as RequestOf<'media:connectTransport'>['dtlsParameters'],
        }),
      ...(direction === 'send'
        ? {
            produce: async ({ kind, rtpParameters, appData }) =>
              (
                await this.signaling.request('media:produce', {
                  transportId: transport.id,
                  kind,
                  source: appData.source as MediaSource,
                  rtpParameters: rtpParameters as RequestOf<'media:produce'>['rtpParameters'],
                })
              ).producerId,
          }
        : {}),
    });
    transport.on('connectionstatechange', (state) => {
      // A failed path (Wi-Fi to 4G, NAT rebinding) gets fresh ICE credentials instead of a dead call.
      if (state === 'failed' && !this.closed) void this.restartIce(transport);
    });
    return transport;
  }

  /** Closed on the server; NOT_FOUND means an earlier try's request got there after its answer timed out. */
  private async closeProducerOnServer(producerId: string): Promise<void> {
    try {
      await this.signaling.request('media:closeProducer', { producerId });
    } catch (err) {
      if (!(err instanceof RoomError && err.code === 'NOT_FOUND')) throw err;
    }
  }

  private async closeTransport(transport: types.Transport): Promise<void> {
    transport.close();
    await this.signaling.request('media:closeTransport', { transportId: transport.id });
  }

  private async restartIce(transport: types.Transport): Promise<void> {
    try {
      const { iceParameters } = await this.signaling.request('media:restartIce', { transportId: transport.id });
      await transport.restartIce({ iceParameters: iceParameters as types.IceParameters });
    } catch {
      // The RoomClient rebuilds media when the socket comes back; nothing more to do here.
    }
  }
}
