import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffClient, uniqueName } from '../support/backOffice.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { joinAdmitted, next, useSockets } from '../support/signaling.js';

type ErrorAnswer = { error: { code: string } };

describe('consultation by appointment', () => {
  let server: TestServer;
  let lawyer: (method: string, path: string, body?: unknown) => ReturnType<StaffClient['call']>;
  const citizen = () => new StaffClient(server.url);
  const track = useSockets();

  beforeAll(async () => {
    server = await startTestServer();
    const org = await server.backOffice.orgs.createOrg({ name: uniqueName('示例律师事务所'), kind: 'district_centre' });
    const token = server.tokens.signStaff({ sub: uniqueName('lawyer'), staffRole: 'lawyer', orgId: org.id }, 600);
    const client = new StaffClient(server.url);
    lawyer = (method, path, body) => client.call(method, path, body, { authorization: `Bearer ${token}` });
  });
  afterAll(() => server?.stop());

  const publish = async (startsInMs: number, capacity = 1) => {
    const answer = await lawyer('POST', '/slots', {
      lawyerName: '王律师',
      online: true,
      startsAt: new Date(Date.now() + startsInMs).toISOString(),
      capacity,
    });
    expect(answer.status).toBe(201);
    return (answer.body as { slot: { id: string } }).slot.id;
  };

  it('books a slot of one place exactly once under 50 parallel requests', async () => {
    const slotId = await publish(3600_000);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        citizen().call<ErrorAnswer & { code: string }>('POST', '/bookings', {
          slotId,
          name: `市民${i}`,
          phone: `1380000${String(i).padStart(4, '0')}`,
        }),
      ),
    );
    const won = answers.filter((a) => a.status === 201);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.error.code)).toEqual(Array(49).fill('SLOT_FULL'));
    const bookings = await lawyer('GET', `/slots/${slotId}/bookings`);
    expect((bookings.body as { bookings: unknown[] }).bookings).toHaveLength(1);
    const open = await citizen().call<{ slots: { id: string; placesLeft: number }[] }>('GET', '/slots');
    expect(open.body.slots.find((s) => s.id === slotId)?.placesLeft).toBe(0);
  });

  it('gives the same booking back when the form is sent twice, and frees the place on cancel', async () => {
    const slotId = await publish(3600_000, 2);
    const form = { slotId, name: '张三', phone: '13912345678' };
    const [a, b] = await Promise.all([
      citizen().call<{ code: string }>('POST', '/bookings', form),
      citizen().call<{ code: string }>('POST', '/bookings', form),
    ]);
    expect(a.body.code).toBe(b.body.code);
    expect((await lawyer('GET', `/slots/${slotId}/bookings`)).body).toMatchObject({
      bookings: [expect.objectContaining({ phone: '139****5678' })],
    });
    const status = await citizen().call<{ status: string; name: string }>('GET', `/bookings/${a.body.code}`);
    expect(status.body).toMatchObject({ status: 'booked' });
    expect(status.text).not.toContain('13912345678');
    expect((await citizen().call('POST', `/bookings/${a.body.code}/cancel`)).body).toMatchObject({ status: 'cancelled' });
    expect((await citizen().call<ErrorAnswer>('POST', `/bookings/${a.body.code}/cancel`)).status).toBe(409);
    expect((await lawyer('GET', `/slots/${slotId}/bookings`)).body).toEqual({ bookings: [] });
  });

  it('refuses a past slot, an unknown slot and an unknown booking code with catalogue codes', async () => {
    const slotId = await publish(1500);
    await sleep(1600);
    const past = await citizen().call<ErrorAnswer>('POST', '/bookings', { slotId, name: '迟到', phone: '13700000000' });
    expect([past.status, past.body.error.code]).toEqual([409, 'SLOT_PAST']);
    const unknownSlot = await citizen().call<ErrorAnswer>('POST', '/bookings', { slotId: 'nosuchslot1', name: '某', phone: '13700000000' });
    expect(unknownSlot.status).toBe(404);
    for (const path of ['/bookings/ABCDEFGHJK', '/bookings/ABCDEFGHJK/cancel']) {
      const answer = await citizen().call<ErrorAnswer>(path.endsWith('cancel') ? 'POST' : 'GET', path);
      expect([answer.status, answer.body.error.code]).toEqual([404, 'BOOKING_NOT_FOUND']);
    }
    const bad = await citizen().call<ErrorAnswer>('POST', '/bookings', { slotId, name: '某', phone: 'call me' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'INVALID_PAYLOAD']);
  });

  it('lets the lawyer start the consultation at the slot time; the citizen’s booking link opens it', async () => {
    const slotId = await publish(5 * 60_000);
    const { body } = await citizen().call<{ code: string }>('POST', '/bookings', { slotId, name: '李四', phone: '13612345678' });
    const started = await lawyer('POST', `/slots/${slotId}/start`);
    expect(started.status).toBe(200);
    const [session] = (started.body as { sessions: { code: string; lawyerUrl: string; sessionId: string }[] }).sessions;
    expect(session?.code).toBe(body.code);
    const booking = await citizen().call<{ joinUrl: string }>('GET', `/bookings/${body.code}`);
    expect(booking.body.joinUrl).toMatch(/\/j\/[A-Za-z0-9]{16}$/);
    // The /j/<id> page's answer: the seat's invite token, whose claims name the seat.
    const seatOf = async (url: string) => {
      const { token } = (await (await fetch(`${server.url}/api/invites/${url.split('/j/')[1]}`)).json()) as { token: string };
      const { seatId } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { seatId: string };
      return { seatId, token, url };
    };
    const lawyerSeat = await seatOf(session?.lawyerUrl ?? '');
    const citizenSeat = await seatOf(booking.body.joinUrl);
    // Pressed again (say after a reload): the same session, and a fresh link to the same counsel seat.
    const again = (await lawyer('POST', `/slots/${slotId}/start`)).body as { sessions: { sessionId: string; lawyerUrl: string }[] };
    expect(again.sessions.map((s) => s.sessionId)).toEqual([session?.sessionId]);
    expect(again.sessions[0]?.lawyerUrl).not.toBe(session?.lawyerUrl);
    expect((await seatOf(again.sessions[0]?.lawyerUrl ?? '')).seatId).toBe(lawyerSeat.seatId);
    const host = track(await joinAdmitted(server, undefined, { ...lawyerSeat, host: true }));
    const joined = next(host, 'peer:joined', (p) => p.role === 'party');
    track(await joinAdmitted(server, host, { ...citizenSeat, host: false }));
    expect((await joined).displayName).toBe('李四');
    const summary = await server.sessions.require(session?.sessionId ?? '');
    expect(summary.summary.type).toBe('consultation');
    expect(summary.summary.hostSeatId).toBe(lawyerSeat.seatId);
    // The lawyer records the outcome.
    expect((await lawyer('POST', `/bookings/${body.code}/outcome`, { status: 'completed' })).body).toMatchObject({ status: 'completed' });
  });
});
