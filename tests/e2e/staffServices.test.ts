import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { StaffClient, uniqueName } from '../support/backOffice.js';
import { saveScreenshot } from '../support/browser.js';
import { useServerAndBrowser } from '../support/fixtures.js';
import { openPage } from '../support/room.js';

const phone = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true };
const desk = { viewport: { width: 1280, height: 800 } };
const password = 'correct horse battery';

/** 'YYYY-MM-DDTHH:mm' in Beijing time, as a datetime-local input takes it. */
function beijingLocal(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('signed-in-as').waitFor();
}

async function noSideScroll(page: Page, width: number): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

describe('staff services on the staff page (issue 12)', () => {
  const ctx = useServerAndBrowser();

  /** A staff account of a new organisation, and a Bearer client of the same organisation for checking the API state. */
  async function staffOf(staffRole: 'correctional_officer' | 'lawyer' | 'mediator', kind: 'correctional_office' | 'district_centre') {
    const { server } = ctx;
    const org = await server.backOffice.orgs.createOrg({ name: uniqueName('示例机构'), kind });
    const username = uniqueName(staffRole);
    const account = await server.backOffice.accounts.create({ username, displayName: '示例工作人员', staffRole, orgId: org.id, password });
    const token = server.tokens.signStaff({ sub: account.id, staffRole, orgId: org.id }, 600);
    const client = new StaffClient(server.url);
    const call = <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      client.call<T>(method, path, body, { authorization: `Bearer ${token}`, ...headers });
    return { org, username, call };
  }

  it('an officer schedules a visit at 360×640; the family link waits for approval, and moves on to the self-test once the officer approves', async () => {
    const { server, browser } = ctx;
    const officer = await staffOf('correctional_officer', 'correctional_office');
    const page = await openPage(browser, `${server.url}/staff`, phone);
    await signIn(page, officer.username);
    await page.getByTestId('nav-visits').click();
    await page.getByTestId('visits-view').waitFor();
    await page.getByTestId('visit-supervised').fill('李某某');
    await page.getByTestId('visit-family-0-name').fill('李母');
    await page.getByTestId('visit-family-0-relationship').fill('母亲');
    await page.getByTestId('visit-family-0-phone').fill('13812345678');
    await page.getByTestId('visit-when').fill(beijingLocal(Date.now() + 60_000));
    await page.getByTestId('visit-create').click();

    const item = page.getByTestId('visit-item').first();
    await item.getByTestId('visit-links').waitFor();
    const sessionId = (await item.getAttribute('data-session-id')) ?? '';
    const familyUrl = await item.locator('[data-testid="seat-link"][data-name="李母"]').getByTestId('seat-url').inputValue();
    expect(familyUrl).toMatch(/\/j\/\w+$/);
    // The family member is listed masked, not yet approved.
    const member = item.getByTestId('visit-family');
    expect(await member.getAttribute('data-approved')).toBe('false');
    expect(await member.innerText()).toContain('138****5678');
    await noSideScroll(page, 360);
    await saveScreenshot(page, 'staff-visits-360');

    // The family member opens the link: told plainly, before any self-test, and no token is handed out.
    const family = await openPage(browser, familyUrl, phone);
    await family.getByTestId('awaiting-approval').waitFor();
    expect(await family.getByTestId('awaiting-approval').innerText()).toContain('尚未批准您参加本次会见');
    expect(await family.getByTestId('join-button').count()).toBe(0);
    const linkId = familyUrl.split('/j/')[1];
    const before = (await (await fetch(`${server.url}/api/invites/${linkId}`)).json()) as { status: string; token?: string };
    expect(before).toMatchObject({ status: 'awaiting_approval' });
    expect(before.token).toBeUndefined();
    await noSideScroll(family, 360);
    await saveScreenshot(family, 'family-awaiting-approval-360');

    // The officer approves in the UI; the family page moves on to the self-test by itself.
    await member.getByTestId('visit-approve').click();
    await expect.poll(() => member.getAttribute('data-approved')).toBe('true');
    expect(await member.getByTestId('visit-approved').innerText()).toContain('已批准');
    const visit = await officer.call<{ family: { approved: boolean }[] }>('GET', `/visits/${sessionId}`);
    expect(visit.body.family.map((f) => f.approved)).toEqual([true]);
    await family.getByTestId('join-button').waitFor({ timeout: 15_000 });
    expect(await family.getByTestId('awaiting-approval').count()).toBe(0);

    // Starting puts the end time on the visit.
    await item.getByTestId('visit-start').click();
    await expect.poll(async () => (await officer.call<{ endsAt?: string }>('GET', `/visits/${sessionId}`)).body.endsAt).toBeTruthy();
    await expect.poll(() => item.innerText()).toContain('自动结束');
    await family.context().close();
    await page.context().close();
  });

  it('a lawyer publishes a slot at 1280×800, a citizen books it, the lawyer starts it and records a no-show the booking then shows', async () => {
    const { server, browser } = ctx;
    const lawyer = await staffOf('lawyer', 'district_centre');
    const page = await openPage(browser, `${server.url}/staff`, desk);
    await signIn(page, lawyer.username);
    await page.getByTestId('nav-consultations').click();
    await page.getByTestId('slots-view').waitFor();
    await page.getByTestId('slot-lawyer').fill('王律师');
    await page.getByTestId('slot-when').fill(beijingLocal(Date.now() + 5 * 60_000));
    await page.getByTestId('slot-create').click();
    const item = page.getByTestId('slot-item').first();
    await item.waitFor();
    const slotId = (await item.getAttribute('data-slot-id')) ?? '';
    expect(await item.innerText()).toContain('王律师');

    // A citizen books through the public API.
    const booked = await fetch(`${server.url}/api/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slotId, name: '周市民', phone: '13712345678' }),
    });
    expect(booked.status).toBe(201);
    const { code } = (await booked.json()) as { code: string };

    // The lawyer's list shows it (masked) after a reload.
    await page.reload();
    await page.getByTestId('nav-consultations').click();
    const booking = page.locator(`[data-testid="slot-booking"][data-code="${code}"]`);
    await booking.waitFor();
    expect(await booking.getAttribute('data-status')).toBe('booked');
    expect(await booking.innerText()).toContain('137****5678');
    expect(await booking.innerText()).not.toContain('周市民');

    // Five minutes before the slot the lawyer may start: one room per booking, with the lawyer's way in.
    await page.getByTestId('consultation-start').click();
    const room = page.getByTestId('consultation-room');
    await room.waitFor();
    expect(await room.getAttribute('href')).toMatch(/\/j\/\w+$/);
    expect(((await (await fetch(`${server.url}/api/bookings/${code}`)).json()) as { joinUrl?: string }).joinUrl).toMatch(/\/j\//);

    await booking.locator('[data-testid="consultation-outcome"][data-outcome="no_show"]').click();
    await expect.poll(() => booking.getAttribute('data-status')).toBe('no_show');
    expect(await booking.getByTestId('booking-state').innerText()).toBe('未到场');
    const after = (await (await fetch(`${server.url}/api/bookings/${code}`)).json()) as { status: string };
    expect(after.status).toBe('no_show');
    await noSideScroll(page, 1280);
    await saveScreenshot(page, 'staff-consultations-1280');
    await page.context().close();
  });

  it('a 12348 work order sent by the hotline is answered and closed, and a legal-aid application rejected with a reason, from the intake view', async () => {
    const { server, browser } = ctx;
    const mediator = await staffOf('mediator', 'district_centre');
    const adminToken = server.tokens.signStaff({ sub: uniqueName('admin'), staffRole: 'admin', orgId: mediator.org.id }, 600);
    const hotline = new StaffClient(server.url);
    const key = await hotline.call<{ apiKey: string }>('POST', '/intake/keys', undefined, { authorization: `Bearer ${adminToken}` });
    const externalRef = uniqueName('T12348');
    const order = await hotline.call<{ id: string }>(
      'POST',
      '/intake/work-orders',
      {
        externalRef,
        caller: { name: '赵来电', phone: '13612345678' },
        category: 'consultation',
        summary: '邻居占用通道，想了解如何处理。',
      },
      { 'x-api-key': key.body.apiKey },
    );
    expect(order.status).toBe(201);

    const page = await openPage(browser, `${server.url}/staff`, phone);
    await signIn(page, mediator.username);
    await page.getByTestId('nav-intake').click();
    await page.getByTestId('intake-view').waitFor();
    const row = page.locator(`[data-testid="work-order"][data-ref="${externalRef}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('new');
    expect(await row.innerText()).toContain('136****5678');
    await row.getByTestId('work-order-open').click();
    await row.getByTestId('work-order-resolve').waitFor();
    await row.getByTestId('work-order-answer').fill('可先请村调解委员会调解，必要时向法院起诉。');
    await row.getByTestId('work-order-submit').click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('answered');
    expect(await row.getByTestId('work-order-status').innerText()).toContain('已答复结单');

    const listed = await mediator.call<{ orders: { id: string; status: string }[] }>('GET', '/intake/work-orders');
    expect(listed.body.orders.find((o) => o.id === order.body.id)?.status).toBe('answered');
    const steps = await mediator.call<{ steps: { action: string }[] }>('GET', `/intake/work-orders/${order.body.id}/steps`);
    expect(steps.body.steps.map((s) => s.action)).toEqual(['received', 'answered']);
    // Handled once only: a second resolve is refused with the catalogue's code and changes nothing.
    const again = await mediator.call<{ error: { code: string } }>('POST', `/intake/work-orders/${order.body.id}/resolve`, {
      as: 'answer',
      answer: '重复处理',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');

    // A legal-aid application from the public form is rejected with a reason the applicant then reads by code.
    const centre = await server.backOffice.orgs.createSite({
      name: uniqueName('示例区公共法律服务中心'),
      kind: 'district_centre',
      orgId: mediator.org.id,
      address: '示例路1号',
      longitude: 116.4,
      latitude: 39.9,
    });
    const applied = await new StaffClient(server.url).call<{ code: string }>('POST', '/legal-aid', {
      clientKey: `form-${uniqueName('key')}`,
      siteId: centre.id,
      applicant: { name: '钱申请', phone: '13512345678' },
      matter: '工资被拖欠三个月。',
      incomeBand: 'other',
      consent: true,
    });
    expect(applied.status).toBe(201);
    await page.reload();
    const application = page.locator(`[data-testid="legal-aid-application"][data-code="${applied.body.code}"]`);
    await application.waitFor();
    expect(await application.innerText()).toContain('135****5678');
    await application.getByTestId('legal-aid-open').click();
    await application.getByTestId('legal-aid-decide').waitFor();
    await application.getByTestId('legal-aid-reject').click();
    await application.getByTestId('legal-aid-reason').fill('不属于法律援助的事项范围，建议申请劳动仲裁。');
    await application.getByTestId('legal-aid-confirm-reject').click();
    await expect.poll(() => application.getAttribute('data-status')).toBe('rejected');
    const status = (await (await fetch(`${server.url}/api/legal-aid/${applied.body.code}`)).json()) as { status: string; reason?: string };
    expect(status).toMatchObject({ status: 'rejected', reason: '不属于法律援助的事项范围，建议申请劳动仲裁。' });

    await noSideScroll(page, 360);
    await saveScreenshot(page, 'staff-intake-360');
    await page.context().close();
  });
});
