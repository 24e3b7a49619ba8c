import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../server/records/index.js';
import { chinaMonth } from '../../server/records/statistics.js';
import { type Answer, newCase, type OrgTree, StaffClient, seedOrgTree, uniqueName } from '../support/backOffice.js';
import { startTestServer, type TestServer } from '../support/server.js';

type ErrorAnswer = { error: { code: string } };
type Row = { count: number; decided: number; succeeded: number; successRate: number; averageDurationSeconds: number };
type Statistics = { total: Row; byType: Record<string, Row>; byOutcome: Record<string, number> };
type Call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => Promise<Answer<T>>;
const callOf =
  (client: StaffClient): Call =>
  (method, path, body) =>
    client.call(method, path, body);

/** Issue 12: consultations, 12348 work orders and legal-aid decisions feed the ledger (台账) and the statistics exactly once. */
describe('the ledger holds every service, not only sessions', () => {
  let server: TestServer;
  let tree: OrgTree;

  const bearer = (sub: string, staffRole: 'lawyer' | 'admin' | 'mediator', orgId: string): Call => {
    const token = server.tokens.signStaff({ sub, staffRole, orgId }, 600);
    const client = new StaffClient(server.url);
    return (method, path, body) => client.call(method, path, body, { authorization: `Bearer ${token}` });
  };
  const signedIn = async (username: string) => {
    const client = new StaffClient(server.url);
    expect((await client.login(username, tree.password)).status).toBe(200);
    return client;
  };
  const citizen = () => new StaffClient(server.url);
  const lines = async (call: Call, query = '') => (await call<{ entries: LedgerEntry[] }>('GET', `/ledger${query}`)).body.entries;
  const statistics = async (call: Call, month: string) => (await call<Statistics>('GET', `/statistics?month=${month}`)).body;
  /** The session's line is written by a follower of the "ended" event, a moment after it. */
  const lineOf = async (sessionId: string) => {
    for (let i = 0; i < 100; i++) {
      const entry = await server.backOffice.ledger.get(sessionId);
      if (entry) return entry;
      await sleep(50);
    }
    throw new Error(`no ledger line for ${sessionId}`);
  };

  beforeAll(async () => {
    server = await startTestServer();
    tree = await seedOrgTree(server.backOffice);
  });
  afterAll(() => server?.stop());

  describe('consultations by appointment', () => {
    let lawyer: Call;
    let orgId: string;
    let siteId: string;
    beforeAll(async () => {
      // An organisation of its own, so its figures are exactly this file's.
      orgId = (await server.backOffice.orgs.createOrg({ name: uniqueName('示例律师事务所'), kind: 'district_centre' })).id;
      siteId = (
        await server.backOffice.orgs.createSite({
          name: uniqueName('示例律所接待室'),
          kind: 'law_firm',
          orgId,
          address: '示例路2号',
          latitude: 31,
          longitude: 111,
        })
      ).id;
      lawyer = bearer(uniqueName('lawyer'), 'lawyer', orgId);
    });

    const bookSlot = async (name: string, phone: string) => {
      const slot = await lawyer<{ slot: { id: string; startsAt: string } }>('POST', '/slots', {
        lawyerName: '王律师',
        siteId,
        startsAt: new Date(Date.now() + 5 * 60_000).toISOString(),
      });
      expect(slot.status).toBe(201);
      const booked = await citizen().call<{ code: string }>('POST', '/bookings', { slotId: slot.body.slot.id, name, phone });
      expect(booked.status).toBe(201);
      const listed = await lawyer<{ bookings: { id: string; code: string }[] }>('GET', `/slots/${slot.body.slot.id}/bookings`);
      const bookingId = listed.body.bookings.find((b) => b.code === booked.body.code)?.id ?? '';
      return { slot: slot.body.slot, code: booked.body.code, bookingId };
    };
    const outcome = (code: string, status: 'completed' | 'no_show') => lawyer('POST', `/bookings/${code}/outcome`, { status });
    const start = async (slotId: string) =>
      ((await lawyer<{ sessions: { sessionId: string }[] }>('POST', `/slots/${slotId}/start`)).body.sessions[0]?.sessionId ?? '') as string;
    const end = async (sessionId: string) =>
      (await server.sessions.require(sessionId)).end({ kind: 'staff', accountId: 'lawyer', staffRole: 'lawyer' }, 'admin');

    it('writes a no-show and an in-person completion once each, however often they are recorded, and counts them once', async () => {
      const absent = await bookSlot('缺席市民', '13811112222');
      const present = await bookSlot('到场市民', '13833334444');
      for (let i = 0; i < 2; i++) {
        expect((await outcome(absent.code, 'no_show')).status).toBe(200);
        expect((await outcome(present.code, 'completed')).status).toBe(200);
      }
      const found = await lines(lawyer, '?type=consultation');
      expect(found).toHaveLength(2);
      const noShow = found.find((e) => e.outcome === 'no_show');
      expect(noShow).toMatchObject({
        sessionId: `bk_${absent.bookingId}`,
        orgId,
        type: 'consultation',
        source: 'consultation',
        referenceId: absent.bookingId,
        siteIds: [siteId],
        startedAt: absent.slot.startsAt,
        durationSeconds: 0,
        participants: [
          { role: 'counsel', name: '王**' },
          { role: 'party', name: '缺***' },
        ],
      });
      expect(found.find((e) => e.outcome === 'consultation_completed')?.referenceId).toBe(present.bookingId);
      // The booking code (the citizen's secret), names and phones never reach the ledger.
      const text = JSON.stringify(found);
      for (const secret of [absent.code, present.code, '缺席市民', '13811112222', '13833334444']) expect(text).not.toContain(secret);

      const month = chinaMonth(absent.slot.startsAt);
      if (chinaMonth(present.slot.startsAt) === month) {
        const stats = await statistics(lawyer, month);
        expect(stats.byType.consultation).toEqual({ count: 2, decided: 2, succeeded: 1, successRate: 0.5, averageDurationSeconds: 0 });
        expect(stats.byOutcome).toEqual({ no_show: 1, consultation_completed: 1 });
      }
    });

    it('puts the outcome on the session’s line whether it is recorded before the session ends or after', async () => {
      const before = await bookSlot('先记结果', '13855556666');
      const beforeSession = await start(before.slot.id);
      expect(beforeSession).not.toBe('');
      await outcome(before.code, 'completed');
      await outcome(before.code, 'completed');
      expect(await server.backOffice.ledger.get(beforeSession)).toBeUndefined();
      await end(beforeSession);
      expect(await lineOf(beforeSession)).toMatchObject({
        source: 'session',
        type: 'consultation',
        outcome: 'consultation_completed',
        referenceId: before.bookingId,
      });

      const after = await bookSlot('后记结果', '13877778888');
      const afterSession = await start(after.slot.id);
      await end(afterSession);
      expect((await lineOf(afterSession)).outcome).toBeUndefined();
      await outcome(after.code, 'no_show');
      await outcome(after.code, 'no_show');
      expect(await server.backOffice.ledger.get(afterSession)).toMatchObject({ outcome: 'no_show', referenceId: after.bookingId });
      expect(await server.backOffice.ledger.edits(afterSession)).toEqual([expect.objectContaining({ before: null, after: 'no_show' })]);

      // No extra line for either booking: each consultation is the session's line.
      const found = await lines(lawyer, '?type=consultation');
      expect(
        found
          .filter((e) => e.referenceId === before.bookingId || e.referenceId === after.bookingId)
          .map((e) => e.sessionId)
          .sort(),
      ).toEqual([beforeSession, afterSession].sort());
      expect((await lines(lawyer, '?source=session')).map((e) => e.sessionId).sort()).toEqual([beforeSession, afterSession].sort());
    });

    it('refuses an outcome that does not fit the line', async () => {
      const booking = await bookSlot('改结果', '13899990000');
      await outcome(booking.code, 'no_show');
      const admin = bearer(uniqueName('admin'), 'admin', orgId);
      const wrong = await admin<ErrorAnswer>('PATCH', `/ledger/bk_${booking.bookingId}`, { outcome: 'agreement_reached' });
      expect([wrong.status, wrong.body.error.code]).toEqual([422, 'LEDGER_OUTCOME_NOT_APPLICABLE']);
      const fixed = await admin<{ entry: LedgerEntry }>('PATCH', `/ledger/bk_${booking.bookingId}`, { outcome: 'consultation_completed' });
      expect(fixed.body.entry.outcome).toBe('consultation_completed');
    });
  });

  describe('12348 work orders and legal aid', () => {
    let apiKey: string;
    beforeAll(async () => {
      const admin = await signedIn(tree.users.admin);
      apiKey = (await admin.call<{ apiKey: string }>('POST', '/intake/keys')).body.apiKey;
    });
    const receive = async () => {
      const answer = await new StaffClient(server.url).call<{ id: string }>(
        'POST',
        '/intake/work-orders',
        {
          externalRef: uniqueName('T'),
          caller: { name: '赵热线', phone: '13512345678' },
          category: 'consultation',
          summary: '咨询劳动合同问题。',
        },
        { 'x-api-key': apiKey },
      );
      expect(answer.status).toBe(201);
      return answer.body.id;
    };

    it('writes one line per resolution (case, booking, answer), for the organisation that resolved it, and never twice', async () => {
      const mediator = await signedIn(tree.users.mediator);
      const lawyer = bearer(uniqueName('lawyer'), 'lawyer', tree.district);
      const slot = await lawyer<{ slot: { id: string } }>('POST', '/slots', {
        lawyerName: '李律师',
        siteId: tree.villageSite,
        startsAt: new Date(Date.now() + 3600_000).toISOString(),
      });
      const [asCase, asBooking, asAnswer] = [await receive(), await receive(), await receive()];
      const resolve = (id: string, body: unknown) => mediator.call<ErrorAnswer>('POST', `/intake/work-orders/${id}/resolve`, body);
      // Two requests at once for one order: one resolves it, the other is refused.
      const raced = await Promise.all([
        resolve(asCase, { as: 'case', case: newCase(tree) }),
        resolve(asCase, { as: 'case', case: newCase(tree) }),
      ]);
      expect(raced.map((a) => a.status).sort()).toEqual([200, 409]);
      expect((await resolve(asBooking, { as: 'booking', slotId: slot.body.slot.id })).status).toBe(200);
      expect((await resolve(asAnswer, { as: 'answer', answer: '已电话答复：可申请劳动仲裁。' })).status).toBe(200);
      const repeat = await resolve(asAnswer, { as: 'answer', answer: '再答复一次。' });
      expect([repeat.status, repeat.body.error.code]).toEqual([409, 'CONFLICT']);

      const found = await lines(callOf(mediator), '?type=work_order');
      const ours = found.filter((e) => [asCase, asBooking, asAnswer].includes(e.referenceId ?? ''));
      expect(ours.map((e) => [e.referenceId, e.outcome]).sort()).toEqual(
        [
          [asCase, 'case_opened'],
          [asBooking, 'consultation_booked'],
          [asAnswer, 'answered'],
        ].sort(),
      );
      for (const e of ours) {
        expect(e).toMatchObject({
          sessionId: `wo_${e.referenceId}`,
          source: 'work_order',
          orgId: tree.district,
          mediatorId: tree.ids.mediator,
        });
        expect(e.participants).toEqual([{ role: 'caller', name: '赵**' }]);
      }
      expect(ours.find((e) => e.outcome === 'case_opened')).toMatchObject({ siteIds: [tree.villageSite], caseNumber: expect.any(String) });
      expect(ours.find((e) => e.outcome === 'consultation_booked')?.siteIds).toEqual([tree.villageSite]);
      // Only one case was opened for the raced order.
      const steps = await mediator.call<{ steps: { action: string }[] }>('GET', `/intake/work-orders/${asCase}/steps`);
      expect(steps.body.steps.map((s) => s.action)).toEqual(['received', 'case']);

      // A work order's outcome is its decision, not a ledger edit.
      const patch = await mediator.call<ErrorAnswer>('PATCH', `/ledger/wo_${asAnswer}`, { outcome: 'no_agreement' });
      expect([patch.status, patch.body.error.code]).toEqual([422, 'LEDGER_OUTCOME_NOT_APPLICABLE']);
    });

    it('writes one line for each legal-aid decision, granted or refused', async () => {
      const form = (name: string, phone: string) => ({
        clientKey: uniqueName('form-key-0123456789'),
        siteId: tree.villageSite,
        applicant: { name, phone },
        matter: '被拖欠工资。',
        incomeBand: 'low_income',
        consent: true,
      });
      const centre = await server.backOffice.orgs.createSite({
        name: uniqueName('示例镇法律服务站'),
        kind: 'township_station',
        orgId: tree.township,
        address: '示例镇2号',
        latitude: 30.2,
        longitude: 110.2,
      });
      const apply = async (name: string, phone: string) =>
        (await citizen().call<{ code: string }>('POST', '/legal-aid', { ...form(name, phone), siteId: centre.id })).body.code;
      const granted = await apply('钱申请', '13300001111');
      const refused = await apply('孙申请', '13300002222');
      const mediator = await signedIn(tree.users.mediator);
      const decide = (code: string, body: unknown) => mediator.call<ErrorAnswer>('POST', `/legal-aid/${code}/decide`, body);
      expect((await decide(granted, { accept: newCase(tree) })).status).toBe(200);
      expect((await decide(refused, { reject: '收入超过标准。' })).status).toBe(200);
      expect((await decide(refused, { reject: '再次拒绝。' })).status).toBe(409);
      expect((await decide(granted, { accept: newCase(tree) })).status).toBe(409);

      const call = callOf(mediator);
      const found = (await lines(call, '?type=legal_aid')).filter((e) => e.siteIds.includes(centre.id));
      expect(found.map((e) => e.outcome).sort()).toEqual(['aid_granted', 'aid_refused']);
      expect(found.find((e) => e.outcome === 'aid_granted')).toMatchObject({
        source: 'legal_aid',
        orgId: tree.district,
        caseId: expect.any(String),
        participants: [{ role: 'applicant', name: '钱**' }],
      });
      const listing = await mediator.call('GET', '/ledger');
      for (const secret of [granted, refused, '钱申请', '孙申请', '13300001111', '赵热线', '13512345678', '收入超过标准'])
        expect(listing.text).not.toContain(secret);
      expect((await lines(call, '?outcome=aid_refused')).map((e) => e.type)).toEqual(['legal_aid']);
    });

    it('counts work orders and legal aid in the month’s statistics and both CSV exports', async () => {
      // The tree's district now holds exactly the lines of the two tests above (3 work orders, 2 decisions).
      const mediator = await signedIn(tree.users.mediator);
      const call = callOf(mediator);
      const month = chinaMonth(new Date().toISOString());
      const ours = (await lines(call)).filter((e) => e.orgId === tree.district && chinaMonth(e.startedAt) === month);
      const stats = await statistics(call, month);
      const workOrders = ours.filter((e) => e.type === 'work_order').length;
      expect(stats.byType.work_order).toEqual({
        count: workOrders,
        decided: workOrders,
        succeeded: workOrders,
        successRate: workOrders ? 1 : 0,
        averageDurationSeconds: 0,
      });
      expect(workOrders).toBe(3);
      expect(stats.byType.legal_aid).toEqual({ count: 2, decided: 2, succeeded: 1, successRate: 0.5, averageDurationSeconds: 0 });
      expect(stats.byOutcome).toMatchObject({ case_opened: 1, consultation_booked: 1, answered: 1, aid_granted: 1, aid_refused: 1 });

      const csv = (await mediator.call('GET', `/statistics/export?month=${month}`)).text.split('\r\n');
      expect(csv).toContain('类型,12348工单,3,3,3,1,0');
      expect(csv).toContain('类型,法律援助,2,2,1,0.5,0');
      const ledgerCsv = (await mediator.call('GET', '/ledger/export?type=work_order')).text;
      for (const label of ['12348工单', '转立案件', '转预约咨询', '已答复', '赵**']) expect(ledgerCsv).toContain(label);
      expect(ledgerCsv).not.toContain('赵热线');
    });
  });
});
