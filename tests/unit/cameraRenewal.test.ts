import { EventEmitter } from 'node:events';
import type { Device } from 'mediasoup-client';
import { describe, expect, it } from 'vitest';
import { MediaSession } from '../../client/src/room/MediaSession.js';
import { RoomError, type Signaling } from '../../client/src/room/Signaling.js';

/** A stand-in producer: what MediaSession reads and calls. */
class FakeProducer extends EventEmitter {
  closed = false;
  paused = false;
  constructor(
    readonly id: string,
    readonly track: { readyState: string },
  ) {
    super();
  }
  close() {
    this.closed = true;
  }
  async setMaxSpatialLayer() {}
}

/** A stand-in send or receive transport that makes producers and records them. */
class FakeTransport extends EventEmitter {
  closed = false;
  readonly produced: FakeProducer[] = [];
  /** Each producer's x-google-start-bitrate, in the order made (undefined: none asked). */
  readonly startKbit: (number | undefined)[] = [];
  constructor(readonly id: string) {
    super();
  }
  async produce({
    track,
    appData,
    codecOptions,
  }: {
    track: { readyState: string };
    appData: { source: string };
    codecOptions?: { videoGoogleStartBitrate?: number };
  }) {
    const producer = new FakeProducer(`${appData.source}@${this.id}`, track);
    this.produced.push(producer);
    this.startKbit.push(codecOptions?.videoGoogleStartBitrate);
    return producer;
  }
  close() {
    this.closed = true;
  }
}

/** A MediaSession on fakes; `answer` may refuse a request by throwing. */
async function session(answer: (event: string) => void = () => {}) {
  const requests: { event: string; payload: Record<string, unknown> }[] = [];
  const transports: FakeTransport[] = [];
  let next = 0;
  const signaling = {
    socket: { connected: true },
    stalled: () => false,
    async request(event: string, payload: Record<string, unknown>) {
      requests.push({ event, payload });
      answer(event);
      if (event === 'media:capabilities') return { rtpCapabilities: { codecs: [] } };
      if (event === 'media:createTransport')
        return { id: `t${++next}`, iceParameters: {}, iceCandidates: [], dtlsParameters: { fingerprints: [] } };
      return { ok: true };
    },
  } as unknown as Signaling;
  const make = ({ id }: { id: string }) => {
    const t = new FakeTransport(id);
    transports.push(t);
    return t;
  };
  const device = {
    loaded: true,
    recvRtpCapabilities: { codecs: [] },
    createRecvTransport: make,
    createSendTransport: make,
  } as unknown as Device;
  const media = new MediaSession(signaling, device);
  await media.start({ publish: true });
  const camera = { readyState: 'live', applyConstraints: async () => {} } as unknown as MediaStreamTrack;
  const mic = { readyState: 'live' } as unknown as MediaStreamTrack;
  await media.publish(mic, 'mic');
  await media.publish(camera, 'camera');
  requests.length = 0;
  return { media, requests, transports };
}

describe('MediaSession camera renewal', () => {
  it('moves only the camera to a fresh send transport, closing it on the server first; a second move closes the first', async () => {
    const { media, requests, transports } = await session();
    const [, send] = transports as [FakeTransport, FakeTransport];
    expect(send.produced.map((p) => p.id)).toEqual(['mic@t2', 'camera@t2']);
    expect(send.startKbit).toEqual([undefined, 300]);

    expect(await media.renewCamera(1500)).toBe(true);
    const fresh = transports[2] as FakeTransport;
    expect(requests.map((r) => r.event)).toEqual(['media:createTransport', 'media:closeProducer']);
    expect(requests[1]?.payload).toEqual({ producerId: 'camera@t2' });
    expect(send.produced.map((p) => p.closed)).toEqual([false, true]);
    expect(fresh.produced.map((p) => p.id)).toEqual(['camera@t3']);
    // The fresh connection's estimate starts where the renewal asked, not at Chrome's 300 kbit/s.
    expect(fresh.startKbit).toEqual([1500]);
    expect(media.isSending('camera')).toBe(true);

    requests.length = 0;
    expect(await media.renewCamera(1500)).toBe(true);
    expect(requests.map((r) => r.event)).toEqual(['media:createTransport', 'media:closeProducer', 'media:closeTransport']);
    expect(requests[2]?.payload).toEqual({ transportId: 't3' });
    expect(fresh.closed).toBe(true);
    expect(send.closed).toBe(false);
    expect((transports[3] as FakeTransport).produced.map((p) => p.id)).toEqual(['camera@t4']);
  });

  it('leaves the camera where it was when the server does not take the close, and never moves on a stalled socket', async () => {
    const { media, requests, transports } = await session((event) => {
      if (event === 'media:closeProducer') throw new RoomError('TIMEOUT', 'The server did not answer in time.');
    });
    await expect(media.renewCamera(1500)).rejects.toThrow(RoomError);
    const [, send, fresh] = transports as [FakeTransport, FakeTransport, FakeTransport];
    expect(send.produced.map((p) => p.closed)).toEqual([false, false]);
    // The fresh transport is given back.
    await expect.poll(() => requests.at(-1)?.event).toBe('media:closeTransport');
    expect(fresh.closed).toBe(true);
    expect(media.isSending('camera')).toBe(true);

    const stalled = await session();
    (stalled.media as unknown as { signaling: { stalled: () => boolean } }).signaling.stalled = () => true;
    expect(await stalled.media.renewCamera(1500)).toBe(false);
    expect(stalled.requests).toEqual([]);
  });

  it('goes on when an earlier try already closed the camera on the server (NOT_FOUND)', async () => {
    const { media, transports } = await session((event) => {
      if (event === 'media:closeProducer') throw new RoomError('NOT_FOUND', 'No such producer.');
    });
    expect(await media.renewCamera(1500)).toBe(true);
    expect((transports[2] as FakeTransport).produced.map((p) => p.id)).toEqual(['camera@t3']);
  });

  it('puts the camera back on its old transport when the fresh one cannot take it', async () => {
    const { media, transports } = await session();
    const [, send] = transports as [FakeTransport, FakeTransport];
    const device = (media as unknown as { device: { createSendTransport: (o: { id: string }) => FakeTransport } }).device;
    const make = device.createSendTransport;
    device.createSendTransport = (o) => {
      const t = make(o);
      t.produce = async () => {
        throw new Error('DTLS failed');
      };
      return t;
    };
    await expect(media.renewCamera(1500)).rejects.toThrow('DTLS failed');
    expect(send.produced.map((p) => `${p.id}:${p.closed}`)).toEqual(['mic@t2:false', 'camera@t2:true', 'camera@t2:false']);
    expect((transports[2] as FakeTransport).closed).toBe(true);
    expect(media.isSending('camera')).toBe(true);
  });
});
