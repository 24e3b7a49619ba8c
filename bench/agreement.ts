/**
 * bench/agreement: how long does producing a signed agreement take?
 *
 * Per run: render a 2-page mediation agreement (Noto Sans SC subset, two
 * handwritten signature PNGs already normalized, a vector QR code, the
 * evidence binding), then sign it with the organisation's development
 * certificate (detached CMS, RSA-2048 in node:crypto). WARMUP runs first
 * (the first document in a process pays for parsing the font tables), then
 * RUNS measured ones. Printed: p50, p95 and max of render, sign and total,
 * the page count and file size.
 *
 *   npx tsx bench/agreement.ts       (RUNS=30 WARMUP=3)
 * Goal: total p50 < 150 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { ensureCertificates, normalizeSignaturePng, renderAgreement, signPdf } from '../server/documents/index.js';
import { agreementDraft, binding, signaturePng } from '../tests/support/pdfFixtures.js';
import { percentile } from './stats.js';

const runs = Number(process.env.RUNS ?? 30);
const warmup = Number(process.env.WARMUP ?? 3);
const dataDir = mkdtempSync(join(tmpdir(), 'courtlink-bench-agreement-'));

try {
  const keys = ensureCertificates(dataDir);
  const signatures = {
    p1: { png: normalizeSignaturePng(signaturePng(1)), signedAt: new Date(), ip: '10.20.30.41' },
    p2: { png: normalizeSignaturePng(signaturePng(2)), signedAt: new Date(), ip: '10.20.30.42' },
  };
  const render: number[] = [];
  const sign: number[] = [];
  const total: number[] = [];
  let last: Uint8Array = new Uint8Array();
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    const pdf = await renderAgreement(agreementDraft(), signatures, binding);
    const t1 = performance.now();
    last = await signPdf(pdf, keys.organisation, 'organisation');
    const t2 = performance.now();
    if (i < warmup) continue;
    render.push(t1 - t0);
    sign.push(t2 - t1);
    total.push(t2 - t0);
  }
  const pages = (await PDFDocument.load(last)).getPageCount();
  const row = (name: string, values: number[]) =>
    console.log(
      `${name.padEnd(7)} p50 ${percentile(values, 50).toFixed(1)} ms  p95 ${percentile(values, 95).toFixed(1)} ms  max ${Math.max(...values).toFixed(1)} ms`,
    );
  console.log(`agreement: ${runs} runs after ${warmup} warm-up; ${pages} pages, ${last.length} bytes signed`);
  row('render', render);
  row('sign', sign);
  row('total', total);
  console.log(`goal: total p50 < 150 ms → ${percentile(total, 50) < 150 ? 'met' : 'NOT met'}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
