import { EventEmitter } from 'node:events';
import type { Device } from 'mediasoup-client';
import { describe, expect, it } from 'vitest';
import { MediaSession } from '../../client/src/room/MediaSession.js';
import type { Signaling } from '../../client/src/room/Signaling.js';

/** A stand-in transport: an emitter that records restartIce calls. */
class FakeTransport extends EventEmitter {
  restarts: unknown[] = [];
  constructor(readonly id: string) {
    super();
  }
  async restartIce({ iceParameters }: { iceParameters: unknown }) {
    this.restarts.push(iceParameters);
  }
  close() {}
}

describe('MediaSession ICE restart', () => {
  it('asks the server for fresh ICE parameters when a transport fails, and applies them', async () => {
    const requests: { event: string; payload: unknown }[] = [];
    const transports: FakeTransport[] = [];
    const signaling = {
      async request(event: string, payload: unknown) {
        requests.push({ event, payload });
        if (event === 'media:capabilities') return { rtpCapabilities: { codecs: [] } };
        if (event === 'media:createTransport') {
          return { id: `t-${requests.length}`, iceParameters: {}, iceCandidates: [], dtlsParameters: { fingerprints: [] } };
        }
        if (event === 'media:restartIce') return { iceParameters: { usernameFragment: 'fresh', password: 'pw' } };
        return { ok: true };
      },
    } as unknown as Signaling;
    const device = {
      loaded: false,
      recvRtpCapabilities: { codecs: [] },
      async load() {
        (this as { loaded: boolean }).loaded = true;
      },
      createRecvTransport({ id }: { id: string }) {
        const t = new FakeTransport(id);
        transports.push(t);
        return t;
      },
      createSendTransport({ id }: { id: string }) {
        const t = new FakeTransport(id);
        transports.push(t);
        return t;
      },
    } as unknown as Device;

    const session = new MediaSession(signaling, device);
    await session.start({ publish: true });
    expect(transports).toHaveLength(2);

    const recv = transports[0] as FakeTransport;
    recv.emit('connectionstatechange', 'failed');
    await expect.poll(() => recv.restarts.length).toBe(1);
    expect(requests.find((r) => r.event === 'media:restartIce')?.payload).toEqual({ transportId: recv.id });
    expect(recv.restarts[0]).toEqual({ usernameFragment: 'fresh', password: 'pw' });

    // A transport that is merely connecting is left alone.
    (transports[1] as FakeTransport).emit('connectionstatechange', 'connecting');
    expect((transports[1] as FakeTransport).restarts).toHaveLength(0);
  });
});
