import cookieParser from 'cookie-parser';
import { type Request, Router } from 'express';
import { z } from 'zod';
import { AppointmentBook } from '../appointments/AppointmentBook.js';
import { cookieSigningKey, LoginSessions } from '../auth/LoginSessions.js';
import { defaultLoginThrottle, LoginThrottle, type LoginThrottleOptions } from '../auth/LoginThrottle.js';
import { createActorResolver, type StaffActor } from '../auth/staffActor.js';
import type { TokenService } from '../auth/tokens.js';
import { LegalAidDesk } from '../intake/LegalAid.js';
import { WorkOrders } from '../intake/WorkOrders.js';
import { AccountStore } from '../records/AccountStore.js';
import { RecordAccess } from '../records/access.js';
import { CaseStore } from '../records/CaseStore.js';
import { LedgerStore, type OutcomeEditedHook } from '../records/LedgerStore.js';
import { type SessionEnded, writeLedgerEntry } from '../records/ledgerWriter.js';
import { OrgStore } from '../records/OrgStore.js';
import type { LedgerEntry } from '../records/schemas.js';
import type { InviteLinks, SessionDirectory } from '../sessions/index.js';
import type { Redis } from '../store/index.js';
import { VisitStore } from '../visits/VisitStore.js';
import { registerAdminApi } from './adminApi.js';
import { registerAppointmentsApi } from './appointmentsApi.js';
import { registerAuthApi } from './authApi.js';
import { registerCasesApi } from './casesApi.js';
import { registerDashboardApi } from './dashboardApi.js';
import { registerIntakeApi } from './intakeApi.js';
import { registerLedgerApi } from './ledgerApi.js';
import { registerLegalAidApi } from './legalAidApi.js';
import { openApiDocument } from './openapi.js';
import { type RegisteredRoute, RouteRegistry } from './routes.js';
import { registerSiteFinderApi } from './siteFinderApi.js';
import { registerVisitsApi } from './visitsApi.js';

export type BackOfficeDeps = {
  redis: Redis;
  tokens: TokenService;
  sessions: SessionDirectory;
  links: InviteLinks;
  /** The server secret; the login cookie key is derived from it. */
  serverSecret: string;
  publicUrl: () => string;
  version: string;
  throttle?: LoginThrottleOptions;
  onOutcomeEdited?: OutcomeEditedHook;
  /** Routes served elsewhere (the session API) that the OpenAPI document lists too. */
  otherRoutes?: () => readonly RegisteredRoute[];
};

export type BackOffice = {
  /** Mount under /api, before the session routes. */
  router: Router;
  routes: readonly RegisteredRoute[];
  /** For other areas' routes (recordings), so they are validated the same way and appear in the OpenAPI document. */
  registry: RouteRegistry;
  /** The one caller resolver (cookie or Bearer) for other routes to use. */
  resolveActor: (req: Request) => Promise<StaffActor>;
  accounts: AccountStore;
  orgs: OrgStore;
  cases: CaseStore;
  ledger: LedgerStore;
  /** Supervised visits' schedules and records (issue 12). */
  visits: VisitStore;
  /** Phase 2: call from the session's "ended" event. Idempotent per session. */
  sessionEnded(ended: SessionEnded): Promise<LedgerEntry | undefined>;
};

/** The back office: staff sign-in, organisations, cases, ledger and statistics, and the OpenAPI document of it all. */
export function createBackOffice(deps: BackOfficeDeps): BackOffice {
  const accounts = new AccountStore(deps.redis);
  const orgs = new OrgStore(deps.redis);
  const cases = new CaseStore(deps.redis);
  const ledger = new LedgerStore(deps.redis, deps.onOutcomeEdited);
  const logins = new LoginSessions(deps.redis);
  const throttle = new LoginThrottle(deps.redis, deps.throttle ?? defaultLoginThrottle);
  const access = new RecordAccess(orgs, cases);
  const resolveActor = createActorResolver({ tokens: deps.tokens, logins, accounts });
  const registry = new RouteRegistry(resolveActor);

  registerAuthApi(registry, { accounts, logins, throttle, secureCookies: () => deps.publicUrl().startsWith('https:') });
  registerAdminApi(registry, { accounts, orgs, access, logins, throttle });
  registerCasesApi(registry, { cases, accounts, orgs, access, sessions: deps.sessions, links: deps.links, publicUrl: deps.publicUrl });
  registerDashboardApi(registry, { cases, orgs, access, sessions: deps.sessions });
  registerLedgerApi(registry, { ledger, orgs, access });
  // Public services (issue 12).
  registerSiteFinderApi(registry, { orgs });
  const visits = new VisitStore(deps.redis);
  registerVisitsApi(registry, { sessions: deps.sessions, links: deps.links, publicUrl: deps.publicUrl, visits });
  const book = new AppointmentBook(deps.redis);
  registerAppointmentsApi(registry, {
    sessions: deps.sessions,
    links: deps.links,
    publicUrl: deps.publicUrl,
    book,
    ledger,
  });
  registerIntakeApi(registry, { orders: new WorkOrders(deps.redis), cases, access, book, ledger });
  registerLegalAidApi(registry, { desk: new LegalAidDesk(deps.redis), orgs, cases, access, ledger });
  registry.route(
    {
      method: 'get',
      path: '/openapi.json',
      auth: 'public',
      tag: 'meta',
      summary: 'This OpenAPI 3.1 document',
      response: z.record(z.string(), z.unknown()),
    },
    async () => openApiDocument([...registry.routes, ...(deps.otherRoutes?.() ?? [])], deps.version),
  );

  const router = Router();
  router.use(cookieParser(cookieSigningKey(deps.serverSecret)));
  router.use(registry.router);
  return {
    router,
    routes: registry.routes,
    registry,
    resolveActor,
    accounts,
    orgs,
    cases,
    ledger,
    visits,
    sessionEnded: (ended) => writeLedgerEntry({ ledger, cases }, ended),
  };
}
