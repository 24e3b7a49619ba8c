import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DeadlineService } from '../../server/deadlines/index.js';
import { createLogger } from '../../server/log/index.js';
import { connectRedis, type Redis } from '../../server/store/index.js';
import { startTestServer } from '../support/server.js';
import { api, createSession, invite, joinAdmitted, useSockets } from '../support/signaling.js';

const log = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('persisted deadlines', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'), log);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('fires a deadline exactly once, even when the node that scheduled it is gone and two nodes poll', async () => {
    const key = `k${Date.now()}`;
    const first = new DeadlineService(redis, log, { pollMs: 20 });
    await first.schedule('test-once', key, Date.now() + 300);
    // The scheduling node "restarts": it never polls again. Two fresh nodes take over.
    const fired: string[] = [];
    const nodes = [new DeadlineService(redis, log, { pollMs: 20 }), new DeadlineService(redis, log, { pollMs: 20 })];
    for (const [i, node] of nodes.entries()) {
      node.on('test-once', async (k) => {
        fired.push(`${i}:${k}`);
      });
      node.start();
    }
    await sleep(1200);
    await Promise.all(nodes.map((n) => n.stop()));
    expect(fired.map((f) => f.split(':')[1])).toEqual([key]);
    expect(await first.pending('test-once', key)).toBeUndefined();
  });

  it('fires again after a crash mid-handler (the lease runs out), and a cancelled deadline never fires', async () => {
    const key = `c${Date.now()}`;
    const crashing = new DeadlineService(redis, log, { pollMs: 20, leaseMs: 300 });
    await crashing.schedule('test-crash', key, Date.now());
    await crashing.schedule('test-cancel', key, Date.now() + 200);
    await crashing.cancel('test-cancel', key);
    crashing.on('test-crash', async () => {
      throw new Error('node died while handling');
    });
    expect(await crashing.poll()).toBeGreaterThanOrEqual(1);
    const fired: string[] = [];
    const survivor = new DeadlineService(redis, log, { pollMs: 20, leaseMs: 300 });
    survivor.on('test-crash', async (k) => {
      fired.push(k);
    });
    survivor.on('test-cancel', async (k) => {
      fired.push(`cancelled ${k}`);
    });
    survivor.start();
    await sleep(900);
    await survivor.stop();
    expect(fired).toEqual([key]);
  });

  it('releases a seat whose grace ran out while the server was down, exactly once, with a system event', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtlink-deadline-'));
    const track = useSockets();
    try {
      const env = { RECONNECT_GRACE_SECONDS: '1' };
      const first = await startTestServer(env, { dataDir });
      const sessionId = await createSession(first);
      const host = track(await joinAdmitted(first, undefined, await invite(first, sessionId, 'mediator', '调解员')));
      const party = await invite(first, sessionId, 'party', '当事人');
      const partySocket = track(await joinAdmitted(first, host, party));
      partySocket.close();
      await sleep(100);
      await first.stop();
      // Down for longer than the grace period; the deadline is due when the next node starts.
      await sleep(1500);
      const second = await startTestServer(env, { dataDir });
      try {
        const staff = second.tokens.signStaff({ sub: 'auditor', staffRole: 'admin' }, 300);
        const entries = async () =>
          (await (await fetch(`${second.url}/api/sessions/${sessionId}/audit`, { headers: { authorization: `Bearer ${staff}` } })).text())
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l));
        // Nobody touches the session: the persisted deadline alone loads it and releases the seats.
        await expect
          .poll(async () => (await entries()).filter((e) => e.type === 'seat.expired').map((e) => e.data.seatId), { timeout: 5000 })
          .toContain(party.seatId);
        await sleep(500);
        const expired = (await entries()).filter((e) => e.type === 'seat.expired' && e.data.seatId === party.seatId);
        expect(expired).toHaveLength(1);
        expect(expired[0].actor).toEqual({ kind: 'system', reason: 'grace-expired' });
        const { body } = await api<{ seats: { seatId: string; state: string }[] }>(second, 'GET', `/sessions/${sessionId}`);
        expect(body.seats.find((s) => s.seatId === party.seatId)?.state).toBe('left');
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
