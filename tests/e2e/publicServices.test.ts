import { describe, expect, it } from 'vitest';
import { StaffClient, uniqueName } from '../support/backOffice.js';
import { saveScreenshot } from '../support/browser.js';
import { useServerAndBrowser } from '../support/fixtures.js';
import { openInvite, openPage } from '../support/room.js';
import { connect, must, next, request, useSockets } from '../support/signaling.js';

const phone = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true };

describe('public services in the browser', () => {
  const ctx = useServerAndBrowser();
  const track = useSockets();

  it('finds the nearest site on /sites at 360×640 from the browser’s location, with the offline map and distances', async () => {
    const { server, browser } = ctx;
    const org = await server.backOffice.orgs.createOrg({ name: uniqueName('示例区中心'), kind: 'district_centre' });
    const here = { latitude: 24.2 + Math.random() * 0.3, longitude: 102.2 + Math.random() * 0.3 };
    const site = (name: string, dLat: number, kind: 'village_room' | 'law_firm') =>
      server.backOffice.orgs.createSite({
        name,
        kind,
        orgId: org.id,
        address: '示例路',
        latitude: here.latitude + dLat,
        longitude: here.longitude,
        videoRoom: true,
      });
    await site('近处村法律服务室', 0.01, 'village_room');
    await site('远处律师事务所', 0.03, 'law_firm');
    const page = await openPage(browser, `${server.url}/sites`, { ...phone, geolocation: here, permissions: ['geolocation'] });
    const entries = page.getByTestId('site-entry');
    await expect.poll(() => entries.count(), { timeout: 15_000 }).toBe(2);
    expect(await entries.first().getAttribute('data-name')).toBe('近处村法律服务室');
    expect(await entries.first().getByTestId('site-distance').textContent()).toBe('约 1.1 公里');
    expect(await page.getByTestId('map-5km').count()).toBe(1);
    expect(await page.getByTestId('map-site').count()).toBe(2);
    // Nothing runs off the side of a 360 px phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await saveScreenshot(page, 'sites-360');
    await page.context().close();
  });

  it('a citizen books a slot from /sites at 360×640; the lawyer starts the consultation and the booking link opens it', async () => {
    const { server, browser } = ctx;
    const org = await server.backOffice.orgs.createOrg({ name: uniqueName('示例律师事务所'), kind: 'district_centre' });
    const token = server.tokens.signStaff({ sub: uniqueName('lawyer'), staffRole: 'lawyer', orgId: org.id }, 600);
    const lawyer = new StaffClient(server.url);
    const call = <T>(method: string, path: string, body?: unknown) =>
      lawyer.call<T>(method, path, body, { authorization: `Bearer ${token}` });
    const slot = await call<{ slot: { id: string } }>('POST', '/slots', {
      lawyerName: '王律师',
      online: true,
      startsAt: new Date(Date.now() + 5 * 60_000).toISOString(),
    });
    const page = await openPage(browser, `${server.url}/sites`, phone);
    await page.getByTestId('booking-slot').selectOption(slot.body.slot.id);
    await page.getByLabel('申请人姓名').fill('周市民');
    await page.getByLabel('联系电话').fill('13712345678');
    await page.getByTestId('booking-submit').click();
    const code = await page.getByTestId('booking-code').getAttribute('data-code');
    expect(code).toMatch(/^[A-Z0-9]{10}$/);
    await page.context().close();

    const started = await call<{ sessions: { lawyerUrl: string }[] }>('POST', `/slots/${slot.body.slot.id}/start`);
    const lawyerUrl = started.body.sessions[0]?.lawyerUrl ?? '';
    const lawyerToken = ((await (await fetch(`${server.url}/api/invites/${lawyerUrl.split('/j/')[1]}`)).json()) as { token: string }).token;
    const host = track(await connect(server, lawyerToken));
    must(await request(host, 'session:join', {}));
    const waiting = next(host, 'waiting:updated', (w) => w.waiting.some((p) => p.displayName === '周市民'), 30_000);
    const citizen = await openPage(browser, `${server.url}/b/${code}`, phone);
    await citizen.getByTestId('booking-join').click();
    await citizen.getByTestId('join-button').click();
    const entry = (await waiting).waiting.find((p) => p.displayName === '周市民');
    const joined = next(host, 'peer:joined', (p) => p.displayName === '周市民', 15_000);
    must(await request(host, 'host:admit', { seatId: entry?.seatId ?? '' }));
    await joined;
    // The citizen sees the lawyer (camera off: a named tile), and the lawyer's side saw the citizen join.
    await citizen.locator('[data-testid="video-tile"][data-name="王律师"]').waitFor({ timeout: 15_000 });
    await citizen.context().close();
  });

  it('a family member approved by the officer joins the visit, sees the countdown, and the visit ends by itself', async () => {
    const { server, browser } = ctx;
    const officeOrg = await server.backOffice.orgs.createOrg({ name: uniqueName('示例司法局社区矫正科'), kind: 'correctional_office' });
    const token = server.tokens.signStaff({ sub: uniqueName('officer'), staffRole: 'correctional_officer', orgId: officeOrg.id }, 600);
    const officer = new StaffClient(server.url);
    const call = <T>(method: string, path: string, body?: unknown) =>
      officer.call<T>(method, path, body, { authorization: `Bearer ${token}` });
    type Link = { seatId: string; url: string };
    const { body } = await call<{ sessionId: string; officer: Link; family: Link[] }>('POST', '/visits', {
      scheduledAt: new Date().toISOString(),
      durationSeconds: 25,
      officerName: '张矫正官',
      supervisedPerson: { name: '李某某' },
      family: [{ name: '李母', relationship: '母亲', phone: '13812345678' }],
    });
    const mother = body.family[0] as Link;
    await call('POST', `/visits/${body.sessionId}/family/${mother.seatId}/approve`);
    const officerToken = (
      (await (await fetch(`${server.url}/api/invites/${body.officer.url.split('/j/')[1]}`)).json()) as { token: string }
    ).token;
    const host = track(await connect(server, officerToken));
    must(await request(host, 'session:join', {}));
    const waiting = next(host, 'waiting:updated', (w) => w.waiting.some((p) => p.seatId === mother.seatId), 30_000);
    const page = await openInvite(browser, mother.url, phone);
    await waiting;
    must(await request(host, 'host:admit', { seatId: mother.seatId }));
    expect((await call<{ status: number }>('POST', `/visits/${body.sessionId}/start`)).status).toBe(200);
    const countdown = page.getByTestId('visit-countdown');
    await countdown.waitFor({ timeout: 15_000 });
    // The countdown rounds up whole seconds against the browser's clock: at most one second over the duration.
    expect(Number(await countdown.getAttribute('data-seconds-left'))).toBeLessThanOrEqual(26);
    expect(await countdown.textContent()).toMatch(/^剩余 00:[0-2]\d$/);
    await saveScreenshot(page, 'visit-countdown-360');
    const ended = page.locator('[data-testid="session-message"][data-phase="ended"]');
    await ended.waitFor({ timeout: 40_000 });
    await page.context().close();
  });

  it('takes a legal-aid application at 360×640 and shows the form on a 1280×1024 kiosk', async () => {
    const { server, browser } = ctx;
    const org = await server.backOffice.orgs.createOrg({ name: uniqueName('示例区中心'), kind: 'district_centre' });
    await server.backOffice.orgs.createSite({
      name: uniqueName('示例镇法律服务站'),
      kind: 'township_station',
      orgId: org.id,
      address: '示例镇',
      latitude: 31,
      longitude: 111,
    });
    const page = await openPage(browser, `${server.url}/legal-aid`, phone);
    await page.getByLabel('申请人姓名').fill('孙申请');
    await page.getByLabel('联系电话').fill('13312345678');
    await page.getByLabel('需要援助的事项').fill('被拖欠工资三个月。');
    await page.getByLabel('我同意工作人员为审查本申请使用以上信息。').check();
    await page.getByTestId('legal-aid-submit').dblclick();
    const code = await page.getByTestId('legal-aid-code').getAttribute('data-code');
    expect(code).toMatch(/^[A-Z0-9]{10}$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.context().close();
    const kiosk = await openPage(browser, `${server.url}/legal-aid`, { viewport: { width: 1280, height: 1024 } });
    await kiosk.getByTestId('legal-aid-submit').waitFor();
    await kiosk.getByTestId('legal-aid-lookup').fill(code ?? '');
    await kiosk.getByRole('button', { name: '查询' }).click();
    expect(await kiosk.getByTestId('legal-aid-status').getAttribute('data-status')).toBe('submitted');
    await kiosk.context().close();
  });
});
