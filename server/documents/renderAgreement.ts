import type { PDFImage } from 'pdf-lib';
import { AgreementDraft, type AgreementParty, CourtLinkError } from '../../signaling/index.js';
import { type EvidenceBinding, parseBinding, storeBinding } from './binding.js';
import { assertPrintable } from './cjkFont.js';
import { newDocument } from './documentBase.js';
import { drawEvidence, evidenceLines } from './evidenceBlock.js';
import { PageWriter } from './PageWriter.js';
import { formatChinaTime, lastFour, maskIdNumber, maskPhone } from './printing.js';
import { agreementTemplates, chineseNumber } from './templates.js';

/** A party's handwritten signature: the PNG from normalizeSignaturePng, when and from where it was given. */
export type PartySignature = { png: Uint8Array; signedAt: Date; ip: string };

function partyLine(p: AgreementParty): string {
  return `${p.side}：${p.name}，身份证号：${maskIdNumber(p.idNumber)}，住址：${p.address}，联系电话：${maskPhone(p.phone)}`;
}

function attestation(p: AgreementParty, s: PartySignature): string {
  return `${p.name}（身份证尾号 ${lastFour(p.idNumber)}）于 ${formatChinaTime(s.signedAt)} 自 IP ${s.ip} 签名`;
}

function parseDraft(draft: unknown): AgreementDraft {
  const parsed = AgreementDraft.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CourtLinkError('INVALID_PAYLOAD', `Invalid agreement: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  return parsed.data;
}

/**
 * Renders a mediation agreement (调解协议书) with the parties' handwritten
 * signatures and the evidence binding. Unsigned parties get an empty line.
 * Refuses (FONT_MISSING_GLYPH) before drawing anything the font cannot print.
 */
export async function renderAgreement(
  draftInput: AgreementDraft,
  signatures: Readonly<Record<string, PartySignature>>,
  bindingInput: EvidenceBinding,
): Promise<Uint8Array> {
  const draft = parseDraft(draftInput);
  const binding = parseBinding(bindingInput);
  const template = agreementTemplates[draft.disputeType];
  const signed = draft.parties.map((p) => ({ party: p, signature: signatures[p.id] }));
  const organisationLine = `调解员：${draft.mediator.name}　　调解组织：${draft.mediator.organisation}`;
  const attestations = signed.map(({ party, signature }) => (signature ? attestation(party, signature) : ''));
  assertPrintable([
    template.title,
    template.subtitle,
    template.factsHeading,
    template.termsLead,
    ...template.closing,
    draft.caseNumber,
    ...draft.parties.map(partyLine),
    draft.facts,
    ...draft.terms.map((t) => t.text),
    organisationLine,
    ...attestations,
    ...evidenceLines(binding),
  ]);

  const { doc, font } = await newDocument(`${template.title} ${draft.caseNumber}`, 'CourtLink mediation agreement');
  const images = new Map<string, PDFImage>();
  for (const { party, signature } of signed) {
    if (!signature) continue;
    try {
      images.set(party.id, await doc.embedPng(signature.png));
    } catch {
      throw new CourtLinkError('SIGNATURE_IMAGE_INVALID', `The signature of ${party.name} is not a readable PNG image.`);
    }
  }

  const w = new PageWriter(doc, font);
  w.centred(template.title, 20);
  if (template.subtitle) w.centred(template.subtitle, 13);
  w.paragraph(`编号：${draft.caseNumber}`, 10);
  w.space(6);
  for (const party of draft.parties) w.paragraph(partyLine(party), 11);
  w.space(6);
  w.paragraph(`${template.factsHeading}：`, 12);
  w.paragraph(draft.facts, 11, { indent: 2 });
  w.space(6);
  w.paragraph(template.termsLead, 12);
  draft.terms.forEach((term, i) => {
    w.paragraph(`${chineseNumber(i + 1)}、${term.text}`, 11, { indent: 2 });
  });
  w.space(4);
  for (const text of template.closing) w.paragraph(text, 11, { indent: 2 });
  w.space(8);
  w.paragraph(organisationLine, 11);
  w.space(8);

  signed.forEach(({ party, signature }, i) => {
    const image = images.get(party.id);
    w.reserve(70);
    w.paragraph(`${party.side}（签名）：${party.name}`, 11);
    if (image && signature) {
      w.image(image, 24, 150, 50);
      w.paragraph(attestations[i] ?? '', 8, { left: 24 });
    } else {
      w.paragraph('（尚未签名）', 9, { left: 24 });
    }
    w.space(4);
  });
  drawEvidence(w, binding);
  w.finish();

  storeBinding(doc, binding);
  return doc.save();
}
