import { z } from 'zod';
import { CourtLinkError } from '../../signaling/index.js';
import { ledgerOutcomeLabelsZhCN, serviceTypeLabelsZhCN } from '../../signaling/ledgerLabels.js';
import type { RecordAccess } from '../records/access.js';
import { toCsv } from '../records/csv.js';
import type { LedgerStore } from '../records/LedgerStore.js';
import type { OrgStore } from '../records/OrgStore.js';
import { editableOutcomes, LedgerEntry, LedgerSource, LedgerType, Outcome, RecordId } from '../records/schemas.js';
import { computeStatistics, monthRange, type Statistics } from '../records/statistics.js';
import { FileAnswer, type RouteRegistry } from './routes.js';

export type LedgerApiDeps = { ledger: LedgerStore; orgs: OrgStore; access: RecordAccess };

const day = z.iso.date();
const LedgerQuery = z
  .object({
    from: day.optional(),
    to: day.optional(),
    siteId: RecordId.optional(),
    type: LedgerType.optional(),
    source: LedgerSource.optional(),
    outcome: Outcome.optional(),
    mediatorId: RecordId.optional(),
  })
  .strict();
const Month = z.string().regex(/^20[0-9]{2}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');
const MonthQuery = z.object({ month: Month }).strict();
const Row = z.object({
  count: z.number(),
  decided: z.number(),
  succeeded: z.number(),
  successRate: z.number(),
  averageDurationSeconds: z.number(),
});
const StatisticsAnswer = z.object({
  month: z.string(),
  total: Row,
  byType: z.record(z.string(), Row),
  bySite: z.record(z.string(), Row),
  byOrganisation: z.record(z.string(), Row),
  byOutcome: z.record(z.string(), z.number()),
  villageRoomsServed: z.array(z.string()),
});

/** Days are China Standard Time days: 2026-11-01 runs from 2026-10-31T16:00Z. */
function dayBounds(query: z.infer<typeof LedgerQuery>) {
  return {
    ...query,
    from: query.from ? new Date(Date.parse(`${query.from}T00:00:00+08:00`)).toISOString() : undefined,
    to: query.to ? new Date(Date.parse(`${query.to}T23:59:59.999+08:00`)).toISOString() : undefined,
  };
}

/** The CSV's type words: sessions' types in their short form, service lines' as the ledger names them (signaling/ledgerLabels.ts). */
const typeLabels: Record<string, string> = {
  mediation: '调解',
  visit: '会见',
  hearing: '庭审',
  consultation: '咨询',
  ...serviceTypeLabelsZhCN,
};

function statisticsCsv(stats: Statistics): string {
  const rows: (string | number)[][] = [];
  const add = (dimension: string, groups: Statistics['byType'], label = (k: string) => k) => {
    for (const [key, r] of Object.entries(groups))
      rows.push([dimension, label(key), r.count, r.decided, r.succeeded, r.successRate, r.averageDurationSeconds]);
  };
  rows.push([
    '合计',
    stats.month,
    stats.total.count,
    stats.total.decided,
    stats.total.succeeded,
    stats.total.successRate,
    stats.total.averageDurationSeconds,
  ]);
  add('类型', stats.byType, (k) => typeLabels[k] ?? k);
  add('场所', stats.bySite);
  add('机构', stats.byOrganisation);
  return toCsv(['维度', '项目', '场次', '已定结果', '成功', '成功率', '平均时长(秒)'], rows);
}

/** 台账 search, outcome edits and CSV; 统计考核 figures and CSV. */
export function registerLedgerApi(registry: RouteRegistry, { ledger, orgs, access }: LedgerApiDeps): void {
  const search = async (actor: Parameters<RecordAccess['visibleOrgs']>[0], query: z.infer<typeof LedgerQuery>) =>
    ledger.search(await access.visibleOrgs(actor), dayBounds(query));

  registry.route(
    {
      method: 'get',
      path: '/ledger',
      auth: 'staff',
      tag: 'ledger',
      summary: 'Search the ledger by date, site, type, source, outcome and responsible staff member',
      query: LedgerQuery,
      response: z.object({ entries: z.array(LedgerEntry) }),
    },
    async ({ actor, query }) => ({ entries: await search(actor, query) }),
  );

  registry.route(
    {
      method: 'get',
      path: '/ledger/export',
      auth: 'staff',
      tag: 'ledger',
      summary: 'The same search as CSV (UTF-8 with BOM)',
      query: LedgerQuery,
      produces: 'text/csv',
    },
    async ({ actor, query }) => {
      const entries = await search(actor, query);
      const sites = new Map((await orgs.listSites(await access.visibleOrgs(actor))).map((s) => [s.id, s.name]));
      const csv = toCsv(
        ['案号', '类型', '场所', '参加人', '开始', '结束', '时长(秒)', '结果', '录像', '协议', '裁定'],
        entries.map((e) => [
          e.caseNumber,
          typeLabels[e.type] ?? e.type,
          e.siteIds.map((id) => sites.get(id) ?? id).join('、'),
          e.participants.map((p) => p.name).join('、'),
          e.startedAt,
          e.endedAt,
          e.durationSeconds,
          e.outcome ? ledgerOutcomeLabelsZhCN[e.outcome] : '',
          e.recordingIds.join(' '),
          e.agreementIds.join(' '),
          e.rulingIds.join(' '),
        ]),
      );
      return new FileAnswer(csv, 'text/csv; charset=utf-8', 'ledger.csv');
    },
  );

  registry.route(
    {
      method: 'patch',
      path: '/ledger/:sessionId',
      auth: 'staff',
      tag: 'ledger',
      summary: 'Set or correct the outcome (the responsible staff member or an administrator); work-order and legal-aid lines take none',
      params: z.object({ sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }).strict(),
      body: z.object({ outcome: Outcome }).strict(),
      response: z.object({ entry: LedgerEntry }),
    },
    async ({ actor, params, body }) => {
      const entry = await ledger.get(params.sessionId);
      if (!entry || !(await access.visibleOrgs(actor)).has(entry.orgId)) throw new CourtLinkError('NOT_FOUND', 'No such ledger entry.');
      if (actor.staffRole !== 'admin' && entry.mediatorId !== actor.accountId)
        throw new CourtLinkError('FORBIDDEN', 'Only the responsible mediator or an administrator may set the outcome.');
      if (!editableOutcomes(entry).includes(body.outcome)) throw new CourtLinkError('LEDGER_OUTCOME_NOT_APPLICABLE');
      return { entry: await ledger.setOutcome(params.sessionId, actor, body.outcome) };
    },
  );

  const statistics = async (actor: Parameters<RecordAccess['visibleOrgs']>[0], month: string) => {
    const visible = await access.visibleOrgs(actor);
    const entries = await ledger.search(visible, monthRange(month));
    const sites = new Map((await orgs.listSites(visible)).map((s) => [s.id, s]));
    const orgMap = new Map((await orgs.listOrgs()).filter((o) => visible.has(o.id)).map((o) => [o.id, o]));
    return computeStatistics(month, entries, sites, orgMap);
  };

  registry.route(
    {
      method: 'get',
      path: '/statistics',
      auth: 'staff',
      tag: 'statistics',
      summary: 'Month figures by type, site, organisation and outcome',
      query: MonthQuery,
      response: StatisticsAnswer,
    },
    async ({ actor, query }) => statistics(actor, query.month),
  );

  registry.route(
    {
      method: 'get',
      path: '/statistics/export',
      auth: 'staff',
      tag: 'statistics',
      summary: 'Month figures as CSV (UTF-8 with BOM)',
      query: MonthQuery,
      produces: 'text/csv',
    },
    async ({ actor, query }) =>
      new FileAnswer(statisticsCsv(await statistics(actor, query.month)), 'text/csv; charset=utf-8', `statistics-${query.month}.csv`),
  );
}
