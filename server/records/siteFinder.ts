import { z } from 'zod';
import { CourtLinkError } from '../../signaling/index.js';
import type { OrgStore } from './OrgStore.js';
import { type Site, SiteKind } from './schemas.js';

/** The public site finder's query. Numbers are checked for range by hand so each mistake gets its own catalogue code. */
export const NearestQuery = z
  .object({
    lat: z.coerce.number().refine(Number.isFinite, 'a number'),
    lng: z.coerce.number().refine(Number.isFinite, 'a number'),
    radiusKm: z.coerce.number().refine(Number.isFinite, 'a number').default(5),
    kind: SiteKind.optional(),
  })
  .strict();
export type NearestQuery = z.infer<typeof NearestQuery>;

/** Redis GEO refuses latitudes beyond ±85.05112878 (Web Mercator); we do too, with a clear code. */
export const maxLatitude = 85.05112878;
export const maxRadiusKm = 50;

/** What the public sees of a site: no organisation ids or creation data. */
export const PublicSite = z.object({
  id: z.string(),
  name: z.string(),
  kind: SiteKind,
  address: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  township: z.string().optional(),
  openingHours: z.string().optional(),
  contact: z.string().optional(),
  services: z.array(z.string()),
  videoRoom: z.boolean(),
});
export type PublicSite = z.infer<typeof PublicSite>;
export const NearbySite = PublicSite.extend({ distanceKm: z.number() });
export type NearbySite = z.infer<typeof NearbySite>;

export function publicSite(site: Site): PublicSite {
  return {
    id: site.id,
    name: site.name,
    kind: site.kind,
    address: site.address,
    latitude: site.latitude,
    longitude: site.longitude,
    ...(site.township ? { township: site.township } : {}),
    ...(site.openingHours ? { openingHours: site.openingHours } : {}),
    ...(site.contact ? { contact: site.contact } : {}),
    services: site.services ?? [],
    videoRoom: site.videoRoom ?? false,
  };
}

export function checkSearchArea({ lat, lng, radiusKm }: { lat: number; lng: number; radiusKm: number }): void {
  if (Math.abs(lat) > maxLatitude || Math.abs(lng) > 180) throw new CourtLinkError('COORDINATES_OUT_OF_RANGE');
  if (!(radiusKm > 0) || radiusKm > maxRadiusKm) throw new CourtLinkError('RADIUS_OUT_OF_RANGE');
}

/** Sites within the radius, nearest first (Redis GEOSEARCH), optionally of one kind. */
export async function nearestSites(orgs: OrgStore, query: NearestQuery, limit = 50): Promise<NearbySite[]> {
  checkSearchArea(query);
  // Filtering by kind happens after the search, so fetch more than we show.
  const near = await orgs.sitesNear({ latitude: query.lat, longitude: query.lng }, query.radiusKm, query.kind ? limit * 4 : limit);
  const km = new Map(near.map((n) => [n.id, n.km]));
  const sites = await orgs.getSitesByIds(near.map((n) => n.id));
  return sites
    .filter((s) => !query.kind || s.kind === query.kind)
    .slice(0, limit)
    .map((s) => ({ ...publicSite(s), distanceKm: km.get(s.id) ?? 0 }));
}

/** Townships that have sites, each with the centre of its sites: the page's choice when location is refused. */
export async function townships(orgs: OrgStore): Promise<{ name: string; latitude: number; longitude: number; sites: number }[]> {
  const groups = new Map<string, Site[]>();
  for (const site of await orgs.allSites()) {
    if (!site.township) continue;
    groups.set(site.township, [...(groups.get(site.township) ?? []), site]);
  }
  return [...groups.entries()]
    .map(([name, sites]) => ({
      name,
      latitude: sites.reduce((a, s) => a + s.latitude, 0) / sites.length,
      longitude: sites.reduce((a, s) => a + s.longitude, 0) / sites.length,
      sites: sites.length,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}
