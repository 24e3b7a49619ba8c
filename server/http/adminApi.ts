import { z } from 'zod';
import { CourtLinkError } from '../../signaling/index.js';
import type { LoginSessions } from '../auth/LoginSessions.js';
import type { LoginThrottle } from '../auth/LoginThrottle.js';
import type { AccountStore } from '../records/AccountStore.js';
import type { RecordAccess } from '../records/access.js';
import type { OrgStore } from '../records/OrgStore.js';
import { Account, NewAccount, NewSite, Organisation, OrgKind, RecordId, Site } from '../records/schemas.js';
import type { RouteRegistry } from './routes.js';

export type AdminApiDeps = {
  accounts: AccountStore;
  orgs: OrgStore;
  access: RecordAccess;
  logins: LoginSessions;
  throttle: LoginThrottle;
};

const IdParams = z.object({ id: RecordId }).strict();
const NewChildOrganisation = z.object({ name: z.string().trim().min(1).max(100), kind: OrgKind, parentId: RecordId }).strict();

/** Organisations, sites and staff accounts. Every list is limited to the caller's organisation and those below it. */
export function registerAdminApi(registry: RouteRegistry, { accounts, orgs, access, logins, throttle }: AdminApiDeps): void {
  registry.route(
    {
      method: 'get',
      path: '/organisations',
      auth: 'staff',
      tag: 'admin',
      summary: 'Organisations visible to the caller',
      response: z.object({ organisations: z.array(Organisation) }),
    },
    async ({ actor }) => {
      const visible = await access.visibleOrgs(actor);
      return { organisations: (await orgs.listOrgs()).filter((o) => visible.has(o.id)) };
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/organisations',
      auth: ['admin'],
      tag: 'admin',
      summary: 'Create an organisation below one of the caller’s',
      body: NewChildOrganisation,
      response: z.object({ organisation: Organisation }),
      status: 201,
    },
    async ({ actor, body }) => {
      await access.requireOrg(actor, body.parentId);
      return { organisation: await orgs.createOrg(body) };
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/sites',
      auth: 'staff',
      tag: 'admin',
      summary: 'Sites of the caller’s organisations',
      response: z.object({ sites: z.array(Site) }),
    },
    async ({ actor }) => ({ sites: await orgs.listSites(await access.visibleOrgs(actor)) }),
  );

  registry.route(
    {
      method: 'post',
      path: '/sites',
      auth: ['admin'],
      tag: 'admin',
      summary: 'Create a site',
      body: NewSite,
      response: z.object({ site: Site }),
      status: 201,
    },
    async ({ actor, body }) => {
      await access.requireOrg(actor, body.orgId);
      return { site: await orgs.createSite(body) };
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/accounts',
      auth: ['admin'],
      tag: 'admin',
      summary: 'Staff accounts of the caller’s organisations',
      response: z.object({ accounts: z.array(Account) }),
    },
    async ({ actor }) => ({ accounts: await accounts.list(await access.visibleOrgs(actor)) }),
  );

  registry.route(
    {
      method: 'post',
      path: '/accounts',
      auth: ['admin'],
      tag: 'admin',
      summary: 'Create a staff account',
      body: NewAccount,
      response: z.object({ account: Account }),
      status: 201,
    },
    async ({ actor, body }) => {
      await access.requireOrg(actor, body.orgId);
      return { account: await accounts.create(body) };
    },
  );

  registry.route(
    {
      method: 'patch',
      path: '/accounts/:id',
      auth: ['admin'],
      tag: 'admin',
      summary: 'Disable an account (ends its sign-ins) or enable it again (lifts a lock)',
      params: IdParams,
      body: z.object({ disabled: z.boolean() }).strict(),
      response: z.object({ account: Account }),
    },
    async ({ actor, params, body }) => {
      const account = await accounts.get(params.id);
      if (!account || !(await access.visibleOrgs(actor)).has(account.orgId)) throw new CourtLinkError('NOT_FOUND', 'No such account.');
      if (account.id === actor.accountId && body.disabled) throw new CourtLinkError('CONFLICT', 'You cannot disable your own account.');
      const next = await accounts.setDisabled(account.id, body.disabled);
      if (body.disabled) await logins.destroyAll(account.id);
      else await throttle.unlock(account.id);
      return { account: next };
    },
  );
}
