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
  /** Redis GEO set of every site, for the public site finder (a later issue). */
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

  async getSite(id: string): Promise<Site | undefined> {
    return readJson(this.redis, keys.site(id), Site);
  }

  async listSites(orgIds: Iterable<string>): Promise<Site[]> {
    const ids = (await Promise.all([...orgIds].map((o) => this.redis.sMembers(keys.orgSites(o))))).flat();
    return (await readJsonMany(this.redis, ids.map(keys.site), Site)).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }
}
