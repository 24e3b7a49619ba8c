import { z } from 'zod';
import type { OrgStore } from '../records/OrgStore.js';
import { NearbySite, NearestQuery, nearestSites, townships } from '../records/siteFinder.js';
import type { RouteRegistry } from './routes.js';

/** The public site finder (issue 12): no sign-in, read-only. */
export function registerSiteFinderApi(registry: RouteRegistry, deps: { orgs: OrgStore }): void {
  registry.route(
    {
      method: 'get',
      path: '/sites/nearest',
      auth: 'public',
      tag: 'public',
      summary: 'Sites near a point, nearest first (radius 0 < r ≤ 50 km; default 5)',
      query: NearestQuery,
      response: z.object({ sites: z.array(NearbySite) }),
    },
    async ({ query }) => ({ sites: await nearestSites(deps.orgs, query) }),
  );
  registry.route(
    {
      method: 'get',
      path: '/sites/townships',
      auth: 'public',
      tag: 'public',
      summary: 'Townships with sites, each with the centre of its sites (when the browser may not share its location)',
      response: z.object({
        townships: z.array(z.object({ name: z.string(), latitude: z.number(), longitude: z.number(), sites: z.number() })),
      }),
    },
    async () => ({ townships: await townships(deps.orgs) }),
  );
}
