import { CourtLinkError, RulingDraft } from '../../signaling/index.js';
import { type EvidenceBinding, parseBinding, storeBinding } from './binding.js';
import { assertPrintable } from './cjkFont.js';
import { newDocument } from './documentBase.js';
import { drawEvidence, evidenceLines } from './evidenceBlock.js';
import { PageWriter } from './PageWriter.js';
import { formatChineseDate, maskIdNumber } from './printing.js';

const title = '民事裁定书';
const subtitle = '（司法确认调解协议）';

/**
 * Renders the court's ruling on an agreement (司法确认裁定书): it cites the
 * agreement's SHA-256, the parties, the decision and the date. The binding's
 * agreementSha256 is taken from the ruling itself, so the two cannot disagree.
 */
export async function renderRuling(rulingInput: RulingDraft, bindingInput: Omit<EvidenceBinding, 'agreementSha256'>): Promise<Uint8Array> {
  const parsed = RulingDraft.safeParse(rulingInput);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CourtLinkError('INVALID_PAYLOAD', `Invalid ruling: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  const ruling = parsed.data;
  const binding = parseBinding({ ...bindingInput, agreementSha256: ruling.agreementSha256 });

  const partyLines = ruling.parties.map((p) => `${p.side}：${p.name}，身份证号：${maskIdNumber(p.idNumber)}，住址：${p.address}`);
  const facts =
    `${ruling.parties.map((p) => p.name).join('、')}于人民调解委员会主持下达成调解协议（编号：${ruling.agreementCaseNumber}，` +
    `电子文本 SHA-256：${ruling.agreementSha256}），并共同向本院申请司法确认。本院受理后依法进行了审查。`;
  const decision = ruling.decision.confirmed
    ? [
        '本院经审查认为，申请人达成的调解协议符合司法确认的条件。依照《中华人民共和国民事诉讼法》第二百零五条、第二百零六条之规定，裁定如下：',
        '上述调解协议有效。当事人应当按照调解协议的约定自觉履行义务。一方当事人拒绝履行或者未全部履行的，对方当事人可以向人民法院申请强制执行。',
      ]
    : [
        `本院经审查认为：${ruling.decision.reason}。依照《中华人民共和国民事诉讼法》第二百零六条之规定，裁定如下：`,
        '驳回申请人的司法确认申请。当事人可以通过调解方式变更原调解协议或者达成新的调解协议，也可以向人民法院提起诉讼。',
      ];
  const signOff = [`审判员　${ruling.judge}`, formatChineseDate(ruling.date), ruling.court];
  assertPrintable([ruling.court, ruling.caseNumber, ...partyLines, facts, ...decision, ...signOff, ...evidenceLines(binding)]);

  const { doc, font } = await newDocument(`${title} ${ruling.caseNumber}`, 'CourtLink judicial confirmation ruling');
  const w = new PageWriter(doc, font);
  w.centred(ruling.court, 16);
  w.centred(title, 20);
  w.centred(subtitle, 13);
  w.paragraph(`（${ruling.caseNumber}）`, 11);
  w.space(6);
  for (const line of partyLines) w.paragraph(line, 11);
  w.space(6);
  w.paragraph(facts, 11, { indent: 2 });
  for (const text of decision) w.paragraph(text, 11, { indent: 2 });
  w.paragraph('本裁定书自即日起发生法律效力。', 11, { indent: 2 });
  w.space(16);
  for (const line of signOff) w.paragraph(line, 11, { left: w.contentWidth - 180 });
  w.space(8);
  drawEvidence(w, binding);
  w.finish();

  storeBinding(doc, binding);
  return doc.save();
}
