import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { smallTargets, unnamedControls } from '../support/a11y.js';
import { saveScreenshot } from '../support/browser.js';
import { useServerAndBrowser } from '../support/fixtures.js';
import { nssTrusting, pdfsig, pdfText } from '../support/pdfTools.js';
import { admitFromUi, openInvite, openPage } from '../support/room.js';
import { api, createSession, invite } from '../support/signaling.js';

const phone = { viewport: { width: 360, height: 640 } };

/** Signs on the canvas with the mouse, as a person would with a finger: a few strokes across the pad. */
async function drawSignature(page: Page): Promise<void> {
  const pad = page.getByTestId('signature-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error('no signature pad on screen');
  for (let stroke = 0; stroke < 3; stroke++) {
    const y = box.y + box.height * (0.3 + stroke * 0.2);
    await page.mouse.move(box.x + box.width * 0.1, y);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + box.width * (0.1 + i * 0.065), y + Math.sin(i) * box.height * 0.15);
    await page.mouse.up();
  }
}

async function confirmAndSign(page: Page): Promise<void> {
  await page.getByTestId('toggle-agreement').click();
  const panel = page.getByTestId('agreement-panel');
  await panel.locator('[data-testid="clause-confirm"]').first().waitFor();
  for (const button of await panel.locator('[data-testid="clause-confirm"]').all()) await button.click();
  await drawSignature(page);
  await page.getByTestId('signature-submit').click();
}

/** Downloads one document through its link and returns where the PDF was saved. */
async function download(page: Page, kind: 'agreement' | 'ruling', dir: string): Promise<string> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`[data-testid="document-download"][data-kind="${kind}"]`).click(),
  ]);
  const path = join(dir, `${kind}-e2e.pdf`);
  copyFileSync((await file.path()) as string, path);
  return path;
}

describe('the agreement flow in Chromium: draft, confirm, sign on the canvas, finalize, call the court, confirm, download', () => {
  const ctx = useServerAndBrowser();

  it('ends with two PDFs that pdfsig validates', async () => {
    const { server, browser } = ctx;
    const sessionId = await createSession(server, 'mediation', '邻里纠纷调解');
    const invites = {
      调解员: await invite(server, sessionId, 'mediator', '张调解'),
      王建国: await invite(server, sessionId, 'party', '王建国'),
      李秀英: await invite(server, sessionId, 'party', '李秀英'),
    };
    const mediator = await openInvite(browser, invites.调解员.url);
    const a = await openInvite(browser, invites.王建国.url, phone);
    await a.getByTestId('waiting-room').waitFor();
    await admitFromUi(mediator, '王建国');
    const b = await openInvite(browser, invites.李秀英.url);
    await b.getByTestId('waiting-room').waitFor();
    await admitFromUi(mediator, '李秀英');
    await a.getByTestId('toolbar').waitFor();
    await b.getByTestId('toolbar').waitFor();

    // The mediator drafts from the neighbourhood template.
    await mediator.getByTestId('toggle-agreement').click();
    const editor = mediator.getByTestId('agreement-editor');
    await editor.getByTestId('agreement-template').selectOption('neighbourhood');
    await editor.getByTestId('agreement-case').fill('（2026）京朝幸调字第0042号');
    const details = [
      ['110105196001011234', '北京市朝阳区幸福村三组18号', '13812345678'],
      ['11010519650202567X', '北京市朝阳区幸福村三组20号', '13998765432'],
    ];
    for (const [i, [idNumber, address, phoneNumber]] of details.entries()) {
      const party = editor.getByTestId('agreement-party').nth(i);
      await party.locator('[data-field="idNumber"]').fill(idNumber as string);
      await party.locator('[data-field="address"]').fill(address as string);
      await party.locator('[data-field="phone"]').fill(phoneNumber as string);
    }
    await editor.getByTestId('agreement-facts').fill('被申请人加盖彩钢房，遮挡申请人房屋采光。');
    await editor.getByTestId('agreement-clause').first().fill('被申请人于2026年6月30日前拆除加盖彩钢房的第二层。');
    await editor.getByTestId('agreement-add-clause').click();
    await editor.getByTestId('agreement-clause').nth(1).fill('被申请人一次性赔偿申请人院墙修缮费用人民币叁仟元整。');
    await editor.getByTestId('agreement-organisation').fill('北京市朝阳区幸福村人民调解委员会');
    await editor.getByTestId('agreement-save').click();
    await expect.poll(() => mediator.getByTestId('agreement-panel').getAttribute('data-version')).toBe('1');

    // Each party confirms clause by clause and signs on the canvas (one of them on a 360×640 phone).
    await confirmAndSign(a);
    await saveScreenshot(a, 'agreement-phone-signed');
    await confirmAndSign(b);
    const signedLines = mediator.locator('[data-testid="agreement-signature"][data-signed="yes"]');
    await expect.poll(() => signedLines.count(), { timeout: 15_000 }).toBe(2);

    await mediator.getByTestId('agreement-finalize').click();
    await expect.poll(() => mediator.getByTestId('agreement-panel').getAttribute('data-status'), { timeout: 20_000 }).toBe('signed');
    await mediator.getByTestId('call-court').click();

    // Court staff answer the call (the staff page's panel calls the same route) and join without waiting.
    const joined = await api<{ url: string }>(server, 'POST', `/court/calls/${sessionId}/join`, { displayName: '赵法官' });
    const link = joined.body.url;
    const court = await openInvite(browser, link as string);
    await court.getByTestId('toolbar').waitFor();
    await court.getByTestId('toggle-agreement').click();
    await court.getByTestId('confirm-decision').click();
    await expect.poll(() => a.getByTestId('court-decision').getAttribute('data-confirmed'), { timeout: 20_000 }).toBe('true');
    await expect.poll(() => a.getByTestId('dev-certificate').count()).toBe(2);
    await saveScreenshot(a, 'agreement-phone-confirmed');
    // On the phone the sheet stays usable: every control named and at least 44 px.
    expect(await unnamedControls(a)).toEqual([]);
    expect(await smallTargets(a)).toEqual([]);

    // Both PDFs download from a party's phone, and pdfsig validates them.
    const nss = await nssTrusting(server.dataDir, readFileSync(join(server.dataDir, 'certs', 'ca.crt'), 'utf8'));
    const agreementPdf = await download(a, 'agreement', server.dataDir);
    const rulingPdf = await download(a, 'ruling', server.dataDir);
    expect((await pdfsig(agreementPdf, nss))[0]).toMatchObject({
      validation: 'Signature is Valid.',
      certificate: 'Certificate is Trusted.',
      total: true,
    });
    expect((await pdfsig(rulingPdf, nss))[0]).toMatchObject({ field: '法院电子签章', validation: 'Signature is Valid.', total: true });
    expect(await pdfText(agreementPdf)).toContain('王建国（身份证尾号1234）');

    // The public verification page reads the agreement's seal back.
    const verify = await openPage(browser, `${server.url}/verify`);
    await verify.getByTestId('verify-file').setInputFiles(agreementPdf);
    await verify.getByTestId('verify-submit').click();
    await expect.poll(() => verify.getByTestId('verify-signature').getAttribute('data-valid')).toBe('true');
    await saveScreenshot(verify, 'agreement-verify');
  });
});
