import { type LedgerEntry, type Organisation, type Site, successfulOutcomes } from './schemas.js';

/** One row of the 统计考核 tables. */
export type StatisticsRow = {
  count: number;
  /** Lines whose outcome is set. */
  decided: number;
  succeeded: number;
  /** succeeded / decided, 0 when nothing is decided yet; rounded to 4 places. */
  successRate: number;
  /** Over the lines of video sessions only: a service given without one (issue 12) has no length to average. */
  averageDurationSeconds: number;
};

export type Statistics = {
  month: string;
  total: StatisticsRow;
  byType: Record<string, StatisticsRow>;
  bySite: Record<string, StatisticsRow>;
  byOrganisation: Record<string, StatisticsRow>;
  byOutcome: Record<string, number>;
  /** Names of the village rooms (村居法律服务室) that held at least one session this month. */
  villageRoomsServed: string[];
};

function row(entries: readonly LedgerEntry[]): StatisticsRow {
  const decided = entries.filter((e) => e.outcome !== undefined);
  const succeeded = decided.filter((e) => e.outcome && successfulOutcomes.has(e.outcome)).length;
  const timed = entries.filter((e) => e.source === 'session');
  const duration = timed.reduce((sum, e) => sum + e.durationSeconds, 0);
  return {
    count: entries.length,
    decided: decided.length,
    succeeded,
    successRate: decided.length ? Math.round((succeeded / decided.length) * 10_000) / 10_000 : 0,
    averageDurationSeconds: timed.length ? Math.round(duration / timed.length) : 0,
  };
}

function groupBy(entries: readonly LedgerEntry[], keysOf: (e: LedgerEntry) => string[]): Record<string, StatisticsRow> {
  const groups = new Map<string, LedgerEntry[]>();
  for (const entry of entries) for (const key of keysOf(entry)) groups.set(key, [...(groups.get(key) ?? []), entry]);
  return Object.fromEntries([...groups].sort(([a], [b]) => a.localeCompare(b, 'zh-CN')).map(([key, list]) => [key, row(list)]));
}

/**
 * Month figures from ledger entries alone (nothing is counted twice: the
 * ledger holds one line per session or per service given without one, such
 * as a consultation no-show, a 12348 work order or a legal-aid decision). A session held across two sites counts
 * once for each site but once in the total. Entries are grouped under the
 * names of sites and organisations, as the report is read by people.
 */
export function computeStatistics(
  month: string,
  entries: readonly LedgerEntry[],
  sites: ReadonlyMap<string, Site>,
  orgs: ReadonlyMap<string, Organisation>,
): Statistics {
  const inMonth = entries.filter((e) => chinaMonth(e.startedAt) === month);
  const byOutcome: Record<string, number> = {};
  for (const e of inMonth) byOutcome[e.outcome ?? 'undecided'] = (byOutcome[e.outcome ?? 'undecided'] ?? 0) + 1;
  const villageRooms = new Set<string>();
  for (const e of inMonth)
    for (const id of e.siteIds) {
      const site = sites.get(id);
      if (site?.kind === 'village_room') villageRooms.add(site.name);
    }
  return {
    month,
    total: row(inMonth),
    byType: groupBy(inMonth, (e) => [e.type]),
    bySite: groupBy(inMonth, (e) => e.siteIds.map((id) => sites.get(id)?.name ?? id)),
    byOrganisation: groupBy(inMonth, (e) => [orgs.get(e.orgId)?.name ?? e.orgId]),
    byOutcome,
    villageRoomsServed: [...villageRooms].sort((a, b) => a.localeCompare(b, 'zh-CN')),
  };
}

/** The month 'YYYY-MM' of an instant in China Standard Time (UTC+8, no daylight saving). */
export function chinaMonth(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 7);
}

/** Start and end of a month 'YYYY-MM' in China Standard Time (the ledger's working day). */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1) - 8 * 3600_000);
  const to = new Date(Date.UTC(y, m, 1) - 8 * 3600_000 - 1);
  return { from: from.toISOString(), to: to.toISOString() };
}
