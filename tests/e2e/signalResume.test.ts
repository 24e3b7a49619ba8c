import { describe, expect, it } from 'vitest';
import { useVillage } from '../support/fixtures.js';
import { serverPeer, waitForMediaFrom } from '../support/room.js';
import type { TestServer } from '../support/server.js';
import { api } from '../support/signaling.js';
import { villageMediation } from '../support/villageSession.js';

/** The server's count of seats moved to a fresh socket (GET /metrics, courtlink_signal_resumes_total). */
async function resumes(server: TestServer): Promise<number> {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.metricsToken}` } });
  const line = (await res.text()).split('\n').find((l) => l.startsWith('courtlink_signal_resumes_total '));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}

/**
 * A village link that goes dark for 12 s: the signalling WebSocket's TCP timer backs off meanwhile, so after
 * the link returns the old socket would stay silent for seconds more. The party's client notices the silence
 * (the server's heartbeat stops), opens a fresh socket, and resumes its seat on it without rebuilding media.
 */
describe('signalling resume on a village link', () => {
  const v = useVillage();

  it('moves the party to a fresh socket after an outage, keeping its transports and streams', async () => {
    const { sessionId, partyInvite, party, mediator } = await villageMediation(v, '村民老李');
    const peer = await serverPeer(v.server, sessionId, partyInvite.seatId);
    const transports = [...peer.transports.keys()].sort();
    const consumers = [...peer.consumers.keys()].sort();
    const before = await resumes(v.server);
    expect(before).toBe(0);

    await v.village.impair({ up: { lossPercent: 100 }, down: { lossPercent: 100 } });
    await party.waitForTimeout(12_000);
    await v.village.restore();

    await expect.poll(() => resumes(v.server), { timeout: 30_000 }).toBe(1);
    // Media untouched: the same peer with the same open transports and the same consumers (nothing rebuilt).
    expect(await serverPeer(v.server, sessionId, partyInvite.seatId)).toBe(peer);
    expect([...peer.transports.keys()].sort()).toEqual(transports);
    expect([...peer.transports.values()].every((t) => !t.closed)).toBe(true);
    expect([...peer.consumers.keys()].sort()).toEqual(consumers);
    // The seat never left: still admitted and connected, in one entry.
    const { body } = await api<{ seats: { seatId: string; state: string; connected: boolean }[] }>(
      v.server,
      'GET',
      `/sessions/${sessionId}`,
    );
    expect(body.seats.filter((s) => s.seatId === partyInvite.seatId)).toEqual([
      expect.objectContaining({ state: 'admitted', connected: true }),
    ]);
    // The fresh socket carries the party's requests: a raised hand reaches the mediator.
    await party.getByTestId('raise-hand').click();
    await expect
      .poll(
        async () =>
          (await api<{ seats: { seatId: string; handRaised?: boolean }[] }>(v.server, 'GET', `/sessions/${sessionId}`)).body.seats.find(
            (s) => s.seatId === partyInvite.seatId,
          )?.handRaised,
        { timeout: 15_000 },
      )
      .toBe(true);
    await waitForMediaFrom(party, ['调解员']);
    await waitForMediaFrom(mediator, ['村民老李']);
  });
});
