import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCase, type OrgTree, StaffClient, seedOrgTree, uniqueName } from '../support/backOffice.js';
import { startTestServer, type TestServer } from '../support/server.js';

type ErrorAnswer = { error: { code: string } };

describe('12348 work orders (intake)', () => {
  let server: TestServer;
  let tree: OrgTree;
  let apiKey: string;
  const hotline = (body: unknown, key?: string) =>
    new StaffClient(server.url).call<ErrorAnswer & { id: string; created: boolean }>(
      'POST',
      '/intake/work-orders',
      body,
      key ? { 'x-api-key': key } : {},
    );
  const order = (ref = uniqueName('T')) => ({
    externalRef: ref,
    caller: { name: '赵热线', phone: '13512345678' },
    category: 'mediation',
    summary: '邻居装修噪音纠纷，希望调解。',
  });
  const staff = async (username: string) => {
    const c = new StaffClient(server.url);
    expect((await c.login(username, tree.password)).status).toBe(200);
    return c;
  };

  beforeAll(async () => {
    server = await startTestServer();
    tree = await seedOrgTree(server.backOffice);
    const admin = await staff(tree.users.admin);
    const created = await admin.call<{ apiKey: string }>('POST', '/intake/keys');
    expect(created.status).toBe(201);
    apiKey = created.body.apiKey;
  });
  afterAll(() => server?.stop());

  it('refuses a work order without a key, with a wrong key, or too large, and stores nothing', async () => {
    const mediator = await staff(tree.users.mediator);
    const before = (await mediator.call<{ orders: unknown[] }>('GET', '/intake/work-orders')).body.orders.length;
    const none = await hotline(order());
    expect([none.status, none.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const wrong = await hotline(order(), `${apiKey.slice(0, -2)}xx`);
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const big = await hotline({ ...order(), summary: '长'.repeat(4000) }, apiKey);
    expect([big.status, big.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect((await mediator.call<{ orders: unknown[] }>('GET', '/intake/work-orders')).body.orders.length).toBe(before);
  });

  it('takes a resent ticket once, and staff turn it into a case with every step audited', async () => {
    const ref = uniqueName('T');
    const first = await hotline(order(ref), apiKey);
    const again = await hotline(order(ref), apiKey);
    expect(first.status).toBe(201);
    expect([first.body.created, again.body.created, again.body.id]).toEqual([true, false, first.body.id]);

    const mediator = await staff(tree.users.mediator);
    const list = await mediator.call<{ orders: { id: string; status: string; caller: { phone: string } }[] }>('GET', '/intake/work-orders');
    const listed = list.body.orders.find((o) => o.id === first.body.id);
    expect(listed).toMatchObject({ status: 'new', caller: { phone: '135****5678' } });
    expect(list.text).not.toContain('13512345678');

    const resolved = await mediator.call<{ order: { status: string; resultRef: string } }>(
      'POST',
      `/intake/work-orders/${first.body.id}/resolve`,
      {
        as: 'case',
        case: newCase(tree),
      },
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body.order.status).toBe('case');
    const caseAnswer = await mediator.call<{ case: { id: string } }>('GET', `/cases/${resolved.body.order.resultRef}`);
    expect(caseAnswer.status).toBe(200);
    const twice = await mediator.call<ErrorAnswer>('POST', `/intake/work-orders/${first.body.id}/resolve`, {
      as: 'answer',
      answer: '已答复',
    });
    expect(twice.body.error.code).toBe('CONFLICT');
    const steps = await mediator.call<{ steps: { action: string; by: string }[] }>('GET', `/intake/work-orders/${first.body.id}/steps`);
    expect(steps.body.steps.map((s) => s.action)).toEqual(['received', 'case']);
    expect(steps.body.steps[1]?.by).toBe(tree.ids.mediator);

    // Another organisation sees nothing of it.
    const other = await staff(tree.users.otherMediator);
    expect((await other.call('GET', `/intake/work-orders/${first.body.id}/steps`)).status).toBe(404);
  });

  it('takes a legal-aid application once per form, and staff accept it as a case or reject it with a reason the applicant sees', async () => {
    const centre = await server.backOffice.orgs.createSite({
      name: uniqueName('示例镇法律服务站'),
      kind: 'township_station',
      orgId: tree.township,
      address: '示例镇1号',
      latitude: 30.1,
      longitude: 110.1,
    });
    const centres = await new StaffClient(server.url).call<{ centres: { id: string }[] }>('GET', '/legal-aid/centres');
    expect(centres.body.centres.map((c) => c.id)).toContain(centre.id);
    const form = (clientKey: string) => ({
      clientKey,
      siteId: centre.id,
      applicant: { name: '孙申请', phone: '13312345678' },
      matter: '被拖欠工资三个月。',
      incomeBand: 'low_income',
      consent: true,
    });
    const apply = (body: unknown) =>
      new StaffClient(server.url).call<ErrorAnswer & { code: string; created: boolean }>('POST', '/legal-aid', body);
    const key = uniqueName('form-key-0123456789');
    const [a, b] = await Promise.all([apply(form(key)), apply(form(key))]);
    expect(a.body.code).toBe(b.body.code);
    expect([a.body.created, b.body.created].sort()).toEqual([false, true]);
    const noConsent = await apply({ ...form(uniqueName('form-key-0123456789')), consent: false });
    expect([noConsent.status, noConsent.body.error.code]).toEqual([400, 'INVALID_PAYLOAD']);

    const status = (code: string) => new StaffClient(server.url).call<{ status: string; reason?: string }>('GET', `/legal-aid/${code}`);
    expect((await status(a.body.code)).body.status).toBe('submitted');
    expect((await status('ABCDEFGHJK')).status).toBe(404);

    const mediator = await staff(tree.users.mediator);
    const listed = await mediator.call<{ applications: { code: string }[] }>('GET', '/legal-aid');
    expect(listed.body.applications.map((x) => x.code)).toContain(a.body.code);
    expect(listed.text).not.toContain('13312345678');
    const accepted = await mediator.call<{ application: { status: string; caseId: string } }>('POST', `/legal-aid/${a.body.code}/decide`, {
      accept: newCase(tree),
    });
    expect(accepted.body.application.status).toBe('accepted');
    expect((await mediator.call('GET', `/cases/${accepted.body.application.caseId}`)).status).toBe(200);
    expect((await status(a.body.code)).body.status).toBe('accepted');

    const second = await apply(form(uniqueName('form-key-0123456789')));
    await mediator.call('POST', `/legal-aid/${second.body.code}/decide`, { reject: '收入超过法律援助标准。' });
    expect((await status(second.body.code)).body).toMatchObject({ status: 'rejected', reason: '收入超过法律援助标准。' });
    const other = await staff(tree.users.otherMediator);
    expect((await other.call('POST', `/legal-aid/${second.body.code}/decide`, { reject: 'x' })).status).toBe(404);
  });
});
