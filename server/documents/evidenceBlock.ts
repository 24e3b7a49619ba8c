import type { EvidenceBinding } from './binding.js';
import type { PageWriter } from './PageWriter.js';
import { qrPath } from './qrCode.js';

const qrSide = 84;

/** The printed lines of the binding, in order; also fed to the glyph check. */
export function evidenceLines(binding: EvidenceBinding): string[] {
  const lines = ['证据绑定（签署时）'];
  if (binding.agreementSha256) lines.push(`所确认调解协议书 SHA-256：${binding.agreementSha256}`);
  if (binding.recordingManifestSha256 !== undefined || binding.auditHead !== undefined || !binding.agreementSha256) {
    lines.push(`录像清单 SHA-256：${binding.recordingManifestSha256 ?? '本次调解未录像'}`);
  }
  if (binding.auditHead) lines.push(`审计链头：${binding.auditHead}`);
  lines.push(`验证网址：${binding.verifyUrl}`, '扫描右侧二维码可核验本文书的电子签章及证据绑定。');
  return lines;
}

/** Hashes and the verification URL on the left, a vector QR code to that URL on the right. */
export function drawEvidence(writer: PageWriter, binding: EvidenceBinding): void {
  writer.reserve(qrSide + 12);
  writer.space(6);
  const top = writer.cursor;
  const qr = qrPath(binding.verifyUrl);
  writer.svgPath(qr.path, writer.contentWidth - qrSide, 0, qrSide / qr.modules);
  for (const line of evidenceLines(binding)) writer.paragraph(line, 8, { right: qrSide + 8 });
  const used = top - writer.cursor;
  if (used < qrSide) writer.space(qrSide - used);
}
