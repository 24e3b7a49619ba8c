import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync, realpathSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWorker, type types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapacityLoad, type Security } from '../../bench/sfu-capacity-load.js';
import { isRtcp, UdpSink } from '../../bench/sfu-capacity-rtp.js';
import { LoopbackSink, openSink } from '../../bench/sfu-capacity-sinks.js';
import { mediaCodecs } from '../../server/media/index.js';
import { srtpReceiver } from '../support/srtpVerify.js';

// The binary mediasoup starts (scripts/build-worker links it there), unless overridden as mediasoup itself allows.
const workerBin = realpathSync(process.env.MEDIASOUP_WORKER_BIN ?? 'node_modules/mediasoup/worker/out/Release/mediasoup-worker');

describe('the built mediasoup worker does SRTP with OpenSSL', () => {
  it('links no shared libsrtp2 or NSS, and carries libsrtp compiled on OpenSSL', () => {
    const libraries = execFileSync('ldd', [workerBin], { encoding: 'utf8' });
    expect(libraries).toMatch(/libcrypto\.so\.3/);
    expect(libraries).not.toMatch(/libsrtp2|libnss3|libnspr4/);
    // libsrtp's AES-CM descriptions name the crypto backend it was compiled with (crypto/cipher/aes_icm_ossl.c).
    const binary = readFileSync(workerBin).toString('latin1');
    expect(binary).toContain('AES-128 counter mode using openssl');
    expect(binary).not.toContain('counter mode using NSS');
    // HMAC-SHA1 on SHA1 block functions (scripts/mediasoup-shims/libsrtp2/hmac-sha1-midstate.patch), not EVP_MAC per packet.
    expect(execFileSync('nm', ['-D', workerBin], { encoding: 'utf8' })).toMatch(/ SHA1_Update@/);
  });

  describe('a chain through one router: plain RTP in, then SRTP out and back in, then one consumer towards a UDP sink', () => {
    let worker: types.Worker;
    beforeAll(async () => {
      worker = await createWorker({ logLevel: 'warn' });
    });
    afterAll(() => worker?.close());

    /** Relays the synthetic sender's Opus and VP8 through the chain; returns the sizes and fill bytes that reached the sink. */
    async function relay(security: Security) {
      const router = await worker.createRouter({ mediaCodecs });
      const sink = await UdpSink.open();
      const sizes = new Set<number>();
      let plaintext = 0;
      const packets: Buffer[] = [];
      sink.socket.on('message', (packet) => {
        if (isRtcp(packet)) return;
        sizes.add(packet.length);
        packets.push(packet);
        // The sender fills payloads with 0x5a (audio) or 0xa5 (video); SRTP must leave none of it readable.
        if (packet.includes(Buffer.alloc(32, 0x5a)) || packet.includes(Buffer.alloc(32, 0xa5))) plaintext++;
      });
      const load = new CapacityLoad({ router, onProducer: () => undefined }, security, new LoopbackSink([sink]), router);
      await load.grow(1);
      const socket = createSocket('udp4');
      for (let i = 0; i < 60 && (sink.rtp < 40 || sizes.size < 2); i++) {
        load.senders[0]?.synthetic.pump(socket, performance.now());
        await sleep(50);
      }
      socket.close();
      sink.close();
      const key = load.endpointTransports[0]?.srtpParameters?.keyBase64;
      router.close();
      return { forwarded: sink.rtp, sizes: [...sizes].sort((a, b) => a - b), plaintext, packets, key };
    }

    it('forwards audio and video, encrypted with AES_CM_128_HMAC_SHA1_80 or AEAD_AES_256_GCM only when SRTP is on', async () => {
      const plain = await relay('plain');
      const srtp = await relay('srtp');
      const gcm = await relay('srtp-gcm');
      expect(plain.forwarded).toBeGreaterThanOrEqual(40);
      expect(srtp.forwarded).toBeGreaterThanOrEqual(40);
      expect(plain.sizes).toHaveLength(2);
      expect(plain.plaintext).toBe(plain.forwarded);
      // The worker decrypted what the encrypting transport sent (else nothing would reach the consumer),
      // then encrypted again: no readable payload, and each packet carries HMAC-SHA1-80's 10-byte tag.
      expect(srtp.plaintext).toBe(0);
      expect(srtp.sizes).toEqual(plain.sizes.map((size) => size + 10));
      // AES-GCM: encrypted as well, with its 16-byte authentication tag instead.
      expect(gcm.forwarded).toBeGreaterThanOrEqual(40);
      expect(gcm.plaintext).toBe(0);
      expect(gcm.sizes).toEqual(plain.sizes.map((size) => size + 16));
    });

    it("an SRTP receiver on Node's crypto, not libsrtp, verifies every HMAC-SHA1-80 tag and reads the payload", async () => {
      const srtp = await relay('srtp');
      expect(srtp.key).toBeDefined();
      const receiver = srtpReceiver(srtp.key as string);
      const opened = srtp.packets.map((packet) => receiver.open(packet));
      expect(srtp.packets.length).toBeGreaterThanOrEqual(40);
      expect(opened.filter((payload) => payload === undefined)).toHaveLength(0);
      // In clear again: the sender's fill bytes, 0x5a (Opus) or 0xa5 (VP8, after its payload descriptor).
      const filled = opened.filter((p) => p?.includes(Buffer.alloc(32, 0x5a)) || p?.includes(Buffer.alloc(32, 0xa5)));
      expect(filled).toHaveLength(opened.length);
      // A flipped bit anywhere fails the tag.
      const tampered = Buffer.from(srtp.packets[0] as Buffer);
      tampered[20] = (tampered[20] as number) ^ 1;
      expect(receiver.open(tampered)).toBeUndefined();
    });

    it("counts at the bench's TUN sink what the consumers send out of the device, RTP apart from RTCP", async () => {
      const router = await worker.createRouter({ mediaCodecs });
      const sink = await openSink('tun', 1 << 20);
      try {
        const load = new CapacityLoad({ router, onProducer: () => undefined }, 'srtp', sink, router);
        await load.grow(2);
        const socket = createSocket('udp4');
        let sent = 0;
        for (let i = 0; i < 60 && (await sink.rtp()) < 80; i++) {
          for (const sender of load.senders) sent += sender.synthetic.pump(socket, performance.now());
          await sleep(50);
        }
        socket.close();
        await sleep(200);
        const stats = await Promise.all(load.consumers.map((c) => c.getStats()));
        const forwarded = stats.flat().reduce((sum, s) => sum + (s.type === 'outbound-rtp' ? s.packetCount : 0), 0);
        // Two endpoints of one sender: every packet the consumers sent left by the device and was counted once.
        expect(sent).toBeGreaterThan(0);
        expect(forwarded).toBeGreaterThanOrEqual(80);
        // The counter polls the device every millisecond; on a busy machine give it a moment.
        let counted = await sink.rtp();
        for (let i = 0; i < 40 && counted < forwarded; i++, counted = await sink.rtp()) await sleep(50);
        expect(counted).toBe(forwarded);
        expect(sink.drops()).toBe(0);
      } finally {
        sink.close();
        router.close();
      }
    });
  });
});
