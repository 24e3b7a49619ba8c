import type { LedgerType, Outcome } from './ledger.js';
import type { SessionType } from './roles.js';

/**
 * The ledger's words in Chinese, written once: the back office shows them
 * (client/src/i18n) and the statistics CSV prints them (server/http/ledgerApi).
 * Plain data and type-only imports, no zod, and not re-exported by
 * signaling/index.ts (like cameraLayers.ts): the Chinese catalogue loads with
 * the invite page's first script, which must not pull in the contract.
 */
export const ledgerOutcomeLabelsZhCN: Readonly<Record<Outcome, string>> = {
  agreement_reached: '达成协议',
  no_agreement: '未达成协议',
  adjourned: '延期',
  confirmed: '司法确认',
  visit_completed: '会见完成',
  consultation_completed: '咨询完成',
  no_show: '未到场',
  answered: '已答复',
  case_opened: '转立案件',
  consultation_booked: '转预约咨询',
  aid_granted: '准予援助',
  aid_refused: '不予援助',
};

/** The types of lines without a session (issue 12). A session's type has its own words in each place. */
export const serviceTypeLabelsZhCN: Readonly<Record<Exclude<LedgerType, SessionType>, string>> = {
  work_order: '12348工单',
  legal_aid: '法律援助',
};
