import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffClient, uniqueName } from '../support/backOffice.js';
import { startTestServer, type TestServer } from '../support/server.js';

type Mine = { slots: { id: string; lawyerName: string; placesLeft: number; bookings: { code: string; name: string; phone: string }[] }[] };

describe('a lawyer’s own slots for the staff page (GET /api/slots/mine)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  const lawyerOf = async (orgId: string) => {
    const token = server.tokens.signStaff({ sub: uniqueName('lawyer'), staffRole: 'lawyer', orgId }, 600);
    const client = new StaffClient(server.url);
    return <T>(method: string, path: string, body?: unknown) => client.call<T>(method, path, body, { authorization: `Bearer ${token}` });
  };

  it('lists only the caller’s slots, each with its bookings masked, and refuses a caller without a staff token', async () => {
    const org = await server.backOffice.orgs.createOrg({ name: uniqueName('示例律师事务所'), kind: 'district_centre' });
    const wang = await lawyerOf(org.id);
    const li = await lawyerOf(org.id);
    const startsAt = new Date(Date.now() + 3600_000).toISOString();
    const mine = await wang<{ slot: { id: string } }>('POST', '/slots', { lawyerName: '王律师', online: true, startsAt, capacity: 2 });
    const theirs = await li<{ slot: { id: string } }>('POST', '/slots', { lawyerName: '李律师', online: true, startsAt });
    const booked = await new StaffClient(server.url).call<{ code: string }>('POST', '/bookings', {
      slotId: mine.body.slot.id,
      name: '周市民',
      phone: '13712345678',
    });
    expect(booked.status).toBe(201);

    const listed = await wang<Mine>('GET', '/slots/mine');
    expect(listed.status).toBe(200);
    expect(listed.body.slots.map((s) => s.id)).toEqual([mine.body.slot.id]);
    const [slot] = listed.body.slots;
    expect(slot?.placesLeft).toBe(1);
    expect(slot?.bookings).toEqual([expect.objectContaining({ code: booked.body.code, phone: '137****5678' })]);
    expect(slot?.bookings[0]?.name).not.toBe('周市民');
    expect((await li<Mine>('GET', '/slots/mine')).body.slots.map((s) => s.id)).toEqual([theirs.body.slot.id]);

    const anonymous = await new StaffClient(server.url).call<{ error: { code: string } }>('GET', '/slots/mine');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
  });
});
