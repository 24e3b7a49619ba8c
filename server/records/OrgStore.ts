import type { z } from 'zod';
import { CourtLinkError } from '../../signaling/index.js';
import type { Redis } from '../store/index.js';
import { recordId } from './ids.js';
import { readJson, readJsonMany } from './redisJson.js';
import { type NewOrganisation, Organisation, Site } from './schemas.js';

const keys = {
  org: (id: string) => `cl:org:${id}`,
  orgs: 'cl:orgs',
  site: (id: string) => `cl:site:${id}`,
  orgSites: (orgId: string) => `cl:org:${orgId}:sites`,
  /** Redis GEO set of every site, for the public site finder (server/records/siteFinder.ts). */
  siteGeo: 'cl:sites:geo',
};

/**
 * Organisations (a tree through parentId) and their sites.
 * Visibility rule: an account sees its own organisation and every organisation below it,
 * so a district centre's staff see their township stations' cases and statistics.
 */
export class OrgStore {
  constructor(private readonly redis: Redis) {}

  async createOrg(input: z.infer<typeof NewOrganisation>): Promise<Organisation> {
    if (input.parentId && !(await this.getOrg(input.parentId))) throw new CourtLinkError('NOT_FOUND', 'No such parent organisation.');
    const org = Organisation.parse({ ...input, id: recordId(), createdAt: new Date().toISOString() });
    await this.redis.multi().set(keys.org(org.id), JSON.stringify(org)).sAdd(keys.orgs, org.id).exec();
    return org;
  }

  async getOrg(id: string): Promise<Organisation | undefined> {
    return readJson(this.redis, keys.org(id), Organisation);
  }

  async listOrgs(): Promise<Organisation[]> {
    return readJsonMany(this.redis, (await this.redis.sMembers(keys.orgs)).map(keys.org), Organisation);
  }

  /** The organisation and all its descendants. */
  async subtree(orgId: string): Promise<Set<string>> {
    const all = await this.listOrgs();
    const seen = new Set<string>([orgId]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const org of all) {
        if (org.parentId && seen.has(org.parentId) && !seen.has(org.id)) {
          seen.add(org.id);
          grew = true;
        }
      }
    }
    return seen;
  }

  async createSite(input: Omit<Site, 'id' | 'createdAt'>): Promise<Site> {
    const site = Site.parse({ ...input, id: recordId(), createdAt: new Date().toISOString() });
    await this.redis
      .multi()
      .set(keys.site(site.id), JSON.stringify(site))
      .sAdd(keys.orgSites(site.orgId), site.id)
      .geoAdd(keys.siteGeo, { longitude: site.longitude, latitude: site.latitude, member: site.id })
      .exec();
    return site;
  }

  /** Many sites in one MULTI: all land or none (the CSV import validates every row first). */
  async createSites(inputs: readonly Omit<Site, 'id' | 'createdAt'>[]): Promise<Site[]> {
    const createdAt = new Date().toISOString();
    const sites = inputs.map((input) => Site.parse({ ...input, id: recordId(), createdAt }));
    const multi = this.redis.multi();
    for (const site of sites) {
      multi
        .set(keys.site(site.id), JSON.stringify(site))
        .sAdd(keys.orgSites(site.orgId), site.id)
        .geoAdd(keys.siteGeo, { longitude: site.longitude, latitude: site.latitude, member: site.id });
    }
    if (sites.length > 0) await multi.exec();
    return sites;
  }

  /** Site ids within radiusKm of a point, nearest first, with their distance in km (Redis GEOSEARCH). */
  async sitesNear(point: { latitude: number; longitude: number }, radiusKm: number, count: number): Promise<{ id: string; km: number }[]> {
    const found = await this.redis.geoSearchWith(keys.siteGeo, point, { radius: radiusKm, unit: 'km' }, ['WITHDIST'], {
      SORT: 'ASC',
      COUNT: count,
    });
    return found.map((f) => ({ id: String(f.member), km: Number(f.distance) }));
  }

  /** Every site with coordinates (the GEO set), for the public township list. */
  async allSites(): Promise<Site[]> {
    return this.getSitesByIds(await this.redis.zRange(keys.siteGeo, 0, -1));
  }

  async getSitesByIds(ids: readonly string[]): Promise<Site[]> {
    return readJsonMany(this.redis, ids.map(keys.site), Site);
  }

  async getSite(id: string): Promise<Site | undefined> {
    return readJson(this.redis, keys.site(id), Site);
  }

  async listSites(orgIds: Iterable<string>): Promise<Site[]> {
    const ids = (await Promise.all([...orgIds].map((o) => this.redis.sMembers(keys.orgSites(o))))).flat();
    return (await readJsonMany(this.redis, ids.map(keys.site), Site)).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }
}
