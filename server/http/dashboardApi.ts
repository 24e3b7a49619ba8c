import { z } from 'zod';
import { SessionSummary } from '../../signaling/index.js';
import type { RecordAccess } from '../records/access.js';
import type { CaseStore } from '../records/CaseStore.js';
import { maskName } from '../records/masking.js';
import type { OrgStore } from '../records/OrgStore.js';
import type { SessionDirectory } from '../sessions/index.js';
import type { RouteRegistry } from './routes.js';

export type DashboardApiDeps = { cases: CaseStore; orgs: OrgStore; access: RecordAccess; sessions: SessionDirectory };

const DashboardItem = z.object({
  session: SessionSummary,
  caseId: z.string().optional(),
  caseNumber: z.string().optional(),
  /** Masked names with their side, e.g. 王** (申请人). */
  parties: z.array(z.string()),
  siteName: z.string().optional(),
});

/** Midnight today in China Standard Time, as epoch ms. */
function startOfChinaDay(now = Date.now()): number {
  const day = 86_400_000;
  const offset = 8 * 3_600_000;
  return Math.floor((now + offset) / day) * day - offset;
}

/** The staff start page: today's and upcoming sessions with time, case number and parties. */
export function registerDashboardApi(registry: RouteRegistry, { cases, orgs, access, sessions }: DashboardApiDeps): void {
  registry.route(
    {
      method: 'get',
      path: '/dashboard',
      auth: 'staff',
      tag: 'cases',
      summary: 'Today’s and upcoming sessions of the caller’s organisations and of sessions shared with the caller',
      response: z.object({ today: z.array(DashboardItem), upcoming: z.array(DashboardItem) }),
    },
    async ({ actor }) => {
      const owners = [...(await access.visibleOrgs(actor)), actor.accountId];
      const ids = await cases.scheduled(owners, startOfChinaDay());
      const items = await Promise.all(
        ids.map(async (id) => {
          const summary = (await sessions.get(id))?.summary;
          if (!summary || summary.status === 'ended') return undefined;
          const record = summary.caseId ? await cases.get(summary.caseId) : undefined;
          const site = summary.siteId ? await orgs.getSite(summary.siteId) : undefined;
          return {
            session: summary,
            ...(record ? { caseId: record.id, caseNumber: record.caseNumber } : {}),
            parties: (record?.parties ?? []).map((p) => `${maskName(p.name)} (${p.side})`),
            ...(site ? { siteName: site.name } : {}),
          };
        }),
      );
      const tomorrow = startOfChinaDay() + 86_400_000;
      const live = items.filter((i) => i !== undefined);
      return {
        today: live.filter((i) => Date.parse(i.session.scheduledAt ?? i.session.createdAt) < tomorrow),
        upcoming: live.filter((i) => Date.parse(i.session.scheduledAt ?? i.session.createdAt) >= tomorrow),
      };
    },
  );
}
