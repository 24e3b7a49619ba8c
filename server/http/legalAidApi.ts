import { z } from 'zod';
import { CourtLinkError } from '../../signaling/index.js';
import { decideOnce, legalAidLine } from '../intake/intakeLedger.js';
import { LegalAidApplication, type LegalAidDesk, LegalAidForm } from '../intake/LegalAid.js';
import type { RecordAccess } from '../records/access.js';
import type { CaseStore } from '../records/CaseStore.js';
import type { LedgerStore } from '../records/LedgerStore.js';
import { maskName, maskPhone } from '../records/masking.js';
import type { OrgStore } from '../records/OrgStore.js';
import { NewCase } from '../records/schemas.js';
import type { RouteRegistry } from './routes.js';

const CodeParams = z.object({ code: z.string().regex(/^[A-Z0-9]{6,16}$/, 'an application code') }).strict();
const Decision = z.union([z.object({ accept: NewCase }).strict(), z.object({ reject: z.string().trim().min(1).max(500) }).strict()]);
/** Centres that take applications: what the form offers. */
const intakeKinds = new Set(['district_centre', 'township_station']);

export type LegalAidApiDeps = { desk: LegalAidDesk; orgs: OrgStore; cases: CaseStore; access: RecordAccess; ledger: LedgerStore };

/** Legal aid (法律援助, issue 12): a self-service form, staff accept (a case) or reject with a reason, the applicant checks by code. */
export function registerLegalAidApi(registry: RouteRegistry, deps: LegalAidApiDeps): void {
  const { desk, orgs, cases, access, ledger } = deps;
  const masked = (a: LegalAidApplication): LegalAidApplication => ({
    ...a,
    applicant: { name: maskName(a.applicant.name), phone: maskPhone(a.applicant.phone) },
  });

  registry.route(
    {
      method: 'get',
      path: '/legal-aid/centres',
      auth: 'public',
      tag: 'public',
      summary: 'Legal-service centres that take legal-aid applications',
      response: z.object({ centres: z.array(z.object({ id: z.string(), name: z.string(), township: z.string().optional() })) }),
    },
    async () => ({
      centres: (await orgs.allSites())
        .filter((s) => intakeKinds.has(s.kind))
        .map((s) => ({ id: s.id, name: s.name, ...(s.township ? { township: s.township } : {}) })),
    }),
  );

  registry.route(
    {
      method: 'post',
      path: '/legal-aid',
      auth: 'public',
      tag: 'public',
      summary: 'Apply for legal aid (no account); the same form sent twice is one application',
      body: LegalAidForm,
      response: z.object({ code: z.string(), created: z.boolean() }),
      status: 201,
    },
    async ({ body }) => {
      const site = await orgs.getSite(body.siteId);
      if (!site || !intakeKinds.has(site.kind)) throw new CourtLinkError('NOT_FOUND', 'No such legal-service centre.');
      const { application, created } = await desk.submit(site.orgId, body);
      return { code: application.code, created };
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/legal-aid/:code',
      auth: 'public',
      tag: 'public',
      summary: 'Where an application stands, by its code',
      params: CodeParams,
      response: z.object({ status: z.string(), reason: z.string().optional(), createdAt: z.string() }),
    },
    async ({ params }) => {
      const a = await desk.require(params.code);
      return { status: a.status, ...(a.reason ? { reason: a.reason } : {}), createdAt: a.createdAt };
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/legal-aid',
      auth: 'staff',
      tag: 'intake',
      summary: 'Legal-aid applications of the caller’s organisations, applicants masked',
      response: z.object({ applications: z.array(LegalAidApplication) }),
    },
    async ({ actor }) => ({ applications: (await desk.list(await access.visibleOrgs(actor))).map(masked) }),
  );

  registry.route(
    {
      method: 'post',
      path: '/legal-aid/:code/decide',
      auth: ['admin', 'mediator'],
      tag: 'intake',
      summary: 'Accept an application (creates a case) or reject it with a reason',
      params: CodeParams,
      body: Decision,
      response: z.object({ application: LegalAidApplication }),
    },
    async ({ actor, params, body }) => {
      const application = await desk.require(params.code);
      if (!(await access.visibleOrgs(actor)).has(application.orgId)) throw new CourtLinkError('NOT_FOUND', 'No application has this code.');
      const decided = await decideOnce(
        ledger,
        {
          current: application,
          decided: application.status !== 'submitted',
          lineOf: legalAidLine,
          claim: () => desk.claim(params.code),
          release: () => desk.release(params.code),
          refusal: 'This application has already been decided.',
        },
        () => decide(params.code, actor, body),
      );
      return { application: masked(decided) };
    },
  );

  const decide = async (code: string, actor: { accountId: string; orgId: string }, body: z.infer<typeof Decision>) => {
    if ('reject' in body) return desk.decide(code, { status: 'rejected', reason: body.reject, decidedBy: actor.accountId }, actor);
    const application = await desk.require(code);
    const created = await cases.create(application.orgId, body.accept, actor.accountId);
    return desk.decide(
      code,
      { status: 'accepted', caseId: created.id, decidedBy: actor.accountId },
      { orgId: actor.orgId, caseNumber: created.caseNumber },
    );
  };
}
