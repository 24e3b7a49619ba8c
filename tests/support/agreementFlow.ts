import type { SessionDraft } from '../../signaling/index.js';
import { parties } from './pdfFixtures.js';
import { type ClientSocket, must, request } from './signaling.js';

/** A two-party neighbourhood draft whose parties sign through the given party seats. */
export function sessionDraft(applicantSeat: string, respondentSeat: string, overrides: Partial<SessionDraft> = {}): SessionDraft {
  const [applicant, respondent] = parties;
  return {
    caseNumber: '（2026）京朝幸调字第0042号',
    disputeType: 'neighbourhood',
    parties: [
      { ...applicant, seatId: applicantSeat },
      { ...respondent, seatId: respondentSeat },
    ],
    facts: '双方系前后院邻居。被申请人加盖彩钢房，遮挡申请人房屋采光，并将雨水排向申请人院内。',
    terms: [
      { id: 't1', text: '被申请人于2026年6月30日前拆除加盖彩钢房的第二层，恢复申请人房屋采光。' },
      { id: 't2', text: '被申请人一次性赔偿申请人院墙修缮费用人民币叁仟元整。' },
    ],
    mediator: { name: '张调解', organisation: '北京市朝阳区幸福村人民调解委员会' },
    ...overrides,
  };
}

/** A party confirms every clause of the current version, on their own line. */
export async function confirmAll(socket: ClientSocket, seatId: string, draft: SessionDraft, version: number): Promise<void> {
  for (const term of draft.terms) must(await request(socket, 'agreement:confirmClause', { seatId, clauseId: term.id, version }));
}
