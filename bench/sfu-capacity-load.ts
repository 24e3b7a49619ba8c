/**
 * The load bench/sfu-capacity puts on one router: synthetic senders (one
 * Opus + one VP8 producer each) and consumer endpoints (one PlainTransport
 * with an audio and a video Consumer of one sender, towards a sink), ten
 * endpoints per sender. With SRTP, a second mediasoup worker on the harness
 * core encrypts what the senders write: Node → plain PlainTransport →
 * Consumer on an SRTP PlainTransport → SRTP PlainTransport of the router
 * under test, so the worker under test decrypts every producer packet and
 * encrypts every consumer packet, as it would for WebRTC.
 */
import { randomBytes } from 'node:crypto';
import type { types } from 'mediasoup';
import { plainRtpCapabilities, producerParameters, SyntheticSender } from './sfu-capacity-rtp.js';
import type { PacketSink } from './sfu-capacity-sinks.js';

/**
 * 'srtp' is AES_CM_128_HMAC_SHA1_80 (the harness); 'srtp-gcm' is AEAD_AES_256_GCM, the first
 * suite mediasoup's DTLS offers, which Chromium takes (bench/webrtc-consumer.ts prints it).
 */
export type Security = 'plain' | 'srtp' | 'srtp-gcm';
export const endpointsPerSender = 10;
const suites = {
  srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBytes: 30 },
  'srtp-gcm': { cryptoSuite: 'AEAD_AES_256_GCM', keyBytes: 44 },
} as const satisfies Record<Exclude<Security, 'plain'>, { cryptoSuite: types.SrtpCryptoSuite; keyBytes: number }>;
const ip = '127.0.0.1';

/** The router being measured, and what its owner does with each new producer (the product feeds audio to its speaker observer). */
export type RouterUnderTest = {
  router: types.Router;
  onProducer(producer: types.Producer): void;
};

type Sender = { synthetic: SyntheticSender; producers: types.Producer[] };

export class CapacityLoad {
  readonly senders: Sender[] = [];
  /** Every consumer on the router under test: their stats say what the worker sent. */
  readonly consumers: types.Consumer[] = [];
  /** Each endpoint's transport on the router under test; its srtpParameters are the key it sends with. */
  readonly endpointTransports: types.PlainTransport[] = [];
  endpoints = 0;
  private nextSsrc = 1000;

  constructor(
    private readonly underTest: RouterUnderTest,
    private readonly security: Security,
    private readonly sink: PacketSink,
    /** The harness worker's router: the SRTP encrypter. Unused for plain RTP. */
    private readonly harness: types.Router,
  ) {}

  /** The producers on the router under test: their stats say what the worker received. */
  get producers(): types.Producer[] {
    return this.senders.flatMap((s) => s.producers);
  }

  /** Adds senders and endpoints until there are `endpoints` endpoints. */
  async grow(endpoints: number): Promise<void> {
    while (this.endpoints < endpoints) {
      if (this.endpoints >= this.senders.length * endpointsPerSender) this.senders.push(await this.addSender());
      await this.addEndpoint(this.senders[Math.floor(this.endpoints / endpointsPerSender)] as Sender);
      this.endpoints++;
    }
  }

  private transportOptions(comedia: boolean, srtp: boolean, listenIp = ip): types.PlainTransportOptions {
    const suite = this.security === 'plain' ? undefined : suites[this.security];
    return { listenIp, rtcpMux: true, comedia, ...(srtp && suite ? { enableSrtp: true, srtpCryptoSuite: suite.cryptoSuite } : {}) };
  }

  private async addSender(): Promise<Sender> {
    const audioSsrc = this.nextSsrc++;
    const videoSsrc = this.nextSsrc++;
    const kinds: types.MediaKind[] = ['audio', 'video'];
    const { router, onProducer } = this.underTest;
    const producers: types.Producer[] = [];
    let port: number;
    if (this.security === 'plain') {
      const ingress = await router.createPlainTransport(this.transportOptions(true, false));
      for (const kind of kinds)
        producers.push(await ingress.produce({ kind, rtpParameters: producerParameters(kind, kind === 'audio' ? audioSsrc : videoSsrc) }));
      port = ingress.tuple.localPort;
    } else {
      const ingress = await this.harness.createPlainTransport(this.transportOptions(true, false));
      const encrypter = await this.harness.createPlainTransport(this.transportOptions(false, true));
      const decrypter = await router.createPlainTransport(this.transportOptions(false, true));
      await encrypter.connect({ ip, port: decrypter.tuple.localPort, srtpParameters: decrypter.srtpParameters });
      await decrypter.connect({ ip, port: encrypter.tuple.localPort, srtpParameters: encrypter.srtpParameters });
      for (const kind of kinds) {
        const source = await ingress.produce({ kind, rtpParameters: producerParameters(kind, kind === 'audio' ? audioSsrc : videoSsrc) });
        const relay = await encrypter.consume({ producerId: source.id, rtpCapabilities: plainRtpCapabilities(this.harness) });
        const { mid: _mid, ...rtpParameters } = relay.rtpParameters;
        producers.push(await decrypter.produce({ kind, rtpParameters }));
      }
      port = ingress.tuple.localPort;
    }
    for (const producer of producers) onProducer(producer);
    return { synthetic: new SyntheticSender(audioSsrc, videoSsrc, port), producers };
  }

  private async addEndpoint(sender: Sender): Promise<void> {
    const suite = this.security === 'plain' ? undefined : suites[this.security];
    const { router } = this.underTest;
    const transport = await router.createPlainTransport(this.transportOptions(false, suite !== undefined, this.sink.listenIp));
    this.endpointTransports.push(transport);
    await transport.connect({
      ...this.sink.target(this.endpoints),
      // The sink only counts packets; the key is for RTCP the sink never sends.
      ...(suite ? { srtpParameters: { cryptoSuite: suite.cryptoSuite, keyBase64: randomBytes(suite.keyBytes).toString('base64') } } : {}),
    });
    for (const producer of sender.producers) {
      // Created paused and resumed, as the product does after the client's ack.
      const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: plainRtpCapabilities(router), paused: true });
      await consumer.resume();
      this.consumers.push(consumer);
    }
  }
}
