import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { lowContrast, smallTargets, unnamedControls } from '../support/a11y.js';
import { newCase, seedOrgTree, uniqueName } from '../support/backOffice.js';
import { saveScreenshot } from '../support/browser.js';
import { useServerAndBrowser } from '../support/fixtures.js';
import { admitFromUi, openInvite, openPage, tileOf } from '../support/room.js';

// jsqr is CommonJS whose typings claim an ES default export; require gives the function itself.
const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;

/** 'YYYY-MM-DDTHH:mm' in Beijing time, as a datetime-local input takes it. */
function beijingLocal(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
}

describe('back office in the browser', () => {
  const ctx = useServerAndBrowser();

  it('admin creates a mediator; the mediator opens a case, schedules a session and hands out a link whose QR code decodes to it; the session runs and the ledger shows it', async () => {
    const tree = await seedOrgTree(ctx.server.backOffice);

    // The administrator signs in and creates a mediator.
    const admin = await openPage(ctx.browser, `${ctx.server.url}/staff`);
    await admin.getByTestId('login-username').fill(tree.users.admin);
    await admin.getByTestId('login-password').fill('wrong password!');
    await admin.getByTestId('login-submit').click();
    await expect.poll(() => admin.getByRole('alert').innerText()).toContain('用户名或密码错误');
    await admin.getByTestId('login-password').fill(tree.password);
    await admin.getByTestId('login-submit').click();
    await admin.getByTestId('nav-accounts').click();
    const username = uniqueName('e2e-med');
    await admin.getByTestId('account-username').fill(username);
    await admin.getByTestId('account-name').fill('示例新调解员');
    await admin.getByTestId('account-role').selectOption('mediator');
    await admin.getByTestId('account-password').fill('mediator password 1');
    await admin.getByTestId('create-account').click();
    await admin.locator(`[data-username="${username}"]`).waitFor();

    // The mediator signs in (own browser context, own cookie), opens a case and schedules a session.
    const mediator = await openPage(ctx.browser, `${ctx.server.url}/staff`, {
      permissions: ['clipboard-read', 'clipboard-write'],
      viewport: { width: 1280, height: 1000 },
    });
    await mediator.getByTestId('login-username').fill(username);
    await mediator.getByTestId('login-password').fill('mediator password 1');
    await mediator.getByTestId('login-submit').click();
    await mediator.getByTestId('nav-cases').click();
    const input = newCase(tree);
    await mediator.getByTestId('case-number').fill(input.caseNumber);
    await mediator.getByTestId('dispute-type').selectOption('family');
    for (const [i, party] of input.parties.entries()) {
      await mediator.getByTestId(`party-${i}-name`).fill(party.name);
      await mediator.getByTestId(`party-${i}-phone`).fill(party.phone);
      await mediator.getByTestId(`party-${i}-idNumber`).fill(party.idNumber);
    }
    await mediator.getByTestId('create-case').click();
    await mediator.getByTestId('case-detail').waitFor();
    await mediator.getByTestId('session-when').fill(beijingLocal(Date.now() + 3600_000));
    await mediator.getByTestId('schedule-session').click();
    await mediator.getByTestId('case-session').waitFor();

    const addSeat = async (role: string, name: string) => {
      await mediator.getByTestId('seat-role').selectOption(role);
      await mediator.getByTestId('seat-name').fill(name);
      await mediator.getByTestId('add-seat').click();
      const seat = mediator.locator(`[data-testid="seat-link"][data-name="${name}"]`);
      await seat.waitFor();
      return seat;
    };
    const hostSeat = await addSeat('mediator', '示例新调解员');
    const partySeat = await addSeat('party', '王示例');
    const partyUrl = await partySeat.getByTestId('seat-url').inputValue();
    const hostUrl = await hostSeat.getByTestId('seat-url').inputValue();
    expect(partyUrl).toMatch(new RegExp(`^${ctx.server.url}/j/`));

    // Copy puts the link on the clipboard; the QR code, read back from the screen, is the same link.
    await partySeat.getByTestId('copy-link').click();
    expect(await mediator.evaluate(() => navigator.clipboard.readText())).toBe(partyUrl);
    const shot = PNG.sync.read(await partySeat.getByTestId('seat-qr').screenshot());
    const decoded = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
    expect(decoded?.data).toBe(partyUrl);
    await saveScreenshot(mediator, 'back-office-case');
    // Every control is named, big enough to touch, and readable (WCAG AA).
    expect(await unnamedControls(mediator)).toEqual([]);
    expect(await smallTargets(mediator)).toEqual([]);
    expect(await lowContrast(mediator)).toEqual([]);

    // The dashboard lists it with the case number.
    await mediator.getByTestId('nav-dashboard').click();
    await expect.poll(async () => (await mediator.locator('main').innerText()).includes(input.caseNumber)).toBe(true);

    // The session runs: the host admits the party.
    const host = await openInvite(ctx.browser, hostUrl);
    const party = await openInvite(ctx.browser, partyUrl);
    await party.getByTestId('waiting-room').waitFor();
    await admitFromUi(host, '王示例');
    await tileOf(host, '王示例').waitFor();
    // End for everyone is in the participants sheet.
    await host.getByTestId('toggle-participants').click();
    await host.getByTestId('end-session').click();
    await host.getByTestId('confirm-ok').click();

    // The ledger shows the finished session.
    await mediator.getByTestId('nav-ledger').click();
    await expect.poll(async () => await mediator.getByTestId('ledger-table').innerText(), { timeout: 15_000 }).toContain(input.caseNumber);
    await saveScreenshot(mediator, 'back-office-ledger');
  });
});
