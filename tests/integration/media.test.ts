import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log/index.js';
import { Room, WorkerPool } from '../../server/media/index.js';

describe('media layer', () => {
  let pool: WorkerPool;
  const log = createLogger('silent');
  beforeAll(async () => {
    pool = await WorkerPool.create({
      count: 2,
      logLevel: 'warn',
      listenIp: '127.0.0.1',
      announcedIp: undefined,
      webRtcPort: 0,
      minPort: 40100,
      maxPort: 49999,
      log,
    });
  });
  afterAll(() => pool?.close());

  it('creates a router and WebRTC transports reachable over UDP and TCP', async () => {
    const room = await Room.create('session-a', pool.leastLoaded(), log);
    const transport = await room.createWebRtcTransport('send');
    expect(room.router.rtpCapabilities.codecs?.map((c) => c.mimeType)).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8']));
    expect(transport.iceParameters.usernameFragment).toMatch(/\w+/);
    expect(transport.dtlsParameters.fingerprints.length).toBeGreaterThan(0);
    const protocols = new Set(transport.iceCandidates.map((c) => c.protocol));
    expect(protocols).toEqual(new Set(['udp', 'tcp']));
    for (const c of transport.iceCandidates) expect(c.ip).toBe('127.0.0.1');
    room.close();
    expect(transport.closed).toBe(true);
  });

  it('places new rooms on the least-loaded worker', async () => {
    const first = await Room.create('session-b', pool.leastLoaded(), log);
    await first.createWebRtcTransport('send');
    await first.createWebRtcTransport('recv');
    const second = await Room.create('session-c', pool.leastLoaded(), log);
    expect(second.workerPid).not.toBe(first.workerPid);
    const usage = await pool.usage();
    expect(usage.find((w) => w.pid === first.workerPid)?.transports).toBe(2);
    first.close();
    second.close();
    const after = await pool.usage();
    expect(after.every((w) => w.transports === 0 && w.routers === 0)).toBe(true);
  });
});
