import { PNG } from 'pngjs';
import type { AgreementDraft, RulingDraft } from '../../signaling/index.js';

/** A hand-drawn-looking signature: a few dark strokes on white, as a drawing pad sends it. */
export function signaturePng(seed = 1, width = 480, height = 160): Uint8Array {
  const png = new PNG({ width, height });
  png.data.fill(255);
  for (let stroke = 0; stroke < 4; stroke++) {
    for (let t = 0; t < 400; t++) {
      const x = Math.round(40 + stroke * 100 + t / 5 + 10 * Math.sin((t + seed * 17) / 20));
      const y = Math.round(height / 2 + 40 * Math.sin((t * (stroke + 1) + seed * 31) / 60));
      for (let dx = 0; dx < 3; dx++) {
        for (let dy = 0; dy < 3; dy++) {
          const i = (((y + dy) % height) * width + ((x + dx) % width)) * 4;
          png.data[i] = 20;
          png.data[i + 1] = 20;
          png.data[i + 2] = 30;
        }
      }
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** A blank (all-white) PNG: no ink. */
export function blankPng(width = 300, height = 100): Uint8Array {
  const png = new PNG({ width, height });
  png.data.fill(255);
  return new Uint8Array(PNG.sync.write(png));
}

export const parties = [
  { id: 'p1', name: '王建国', idNumber: '110105196001011234', address: '北京市朝阳区幸福村三组18号', phone: '13812345678', side: '申请人' },
  {
    id: 'p2',
    name: '李秀英',
    idNumber: '11010519650202567X',
    address: '北京市朝阳区幸福村三组20号',
    phone: '13998765432',
    side: '被申请人',
  },
] as const satisfies AgreementDraft['parties'];

/** A neighbourhood dispute whose text fills about two pages. */
export function agreementDraft(overrides: Partial<AgreementDraft> = {}): AgreementDraft {
  return {
    caseNumber: '（2026）京朝幸调字第0042号',
    disputeType: 'neighbourhood',
    parties: [...parties],
    facts:
      '双方系前后院邻居。2026年3月，被申请人在自家院内加盖二层彩钢房，遮挡申请人房屋采光，并将雨水排向申请人院内，造成申请人院墙受潮开裂。双方多次协商未果，申请人向村人民调解委员会申请调解。'.repeat(
        3,
      ),
    terms: [
      { id: 't1', text: '被申请人于2026年6月30日前拆除加盖彩钢房的第二层，恢复申请人房屋采光。' },
      { id: 't2', text: '被申请人于2026年5月31日前将排水管改向自家院内，并一次性赔偿申请人院墙修缮费用人民币叁仟元整（¥3,000.00）。' },
      { id: 't3', text: '申请人收到上述款项后，不再就本纠纷向被申请人主张其他权利。' },
      { id: 't4', text: '双方今后互谅互让，和睦相处。如再有纠纷，应当协商解决或者申请调解，不得采取过激行为。'.repeat(4) },
    ],
    mediator: { name: '张调解', organisation: '北京市朝阳区幸福村人民调解委员会' },
    ...overrides,
  };
}

export function rulingDraft(agreementSha256: string, confirmed = true): RulingDraft {
  return {
    caseNumber: '（2026）京0105民特123号',
    court: '北京市朝阳区人民法院',
    judge: '赵法官',
    agreementCaseNumber: '（2026）京朝幸调字第0042号',
    agreementSha256,
    parties: [...parties],
    decision: confirmed ? { confirmed: true } : { confirmed: false, reason: '调解协议内容违反法律强制性规定' },
    date: '2026-07-01',
  };
}

export const binding = {
  recordingManifestSha256: 'a'.repeat(64),
  auditHead: 'b'.repeat(64),
  verifyUrl: 'https://courtlink.example.cn/verify/doc-0042',
};
