import { z } from 'zod';
import { CourtLinkError, DisplayName, Role, SessionId, SessionSummary, SessionType, Title } from '../../signaling/index.js';
import type { AccountStore } from '../records/AccountStore.js';
import type { RecordAccess } from '../records/access.js';
import type { CaseStore } from '../records/CaseStore.js';
import { renderInvitationSlip } from '../records/invitationSlip.js';
import { maskParty } from '../records/masking.js';
import type { OrgStore } from '../records/OrgStore.js';
import { CaseRecord, NewCase, RecordId } from '../records/schemas.js';
import { issueSeatInvite, type SeatInviteDeps } from '../records/seatInvites.js';
import type { SessionDirectory } from '../sessions/index.js';
import { FileAnswer, type RouteRegistry } from './routes.js';

export type CasesApiDeps = SeatInviteDeps & {
  cases: CaseStore;
  accounts: AccountStore;
  orgs: OrgStore;
  access: RecordAccess;
  sessions: SessionDirectory;
};

const caseWorkers = ['admin', 'mediator', 'court_staff', 'correctional_officer'] as const;
const CaseParams = z.object({ caseId: RecordId }).strict();
const CaseSessionParams = z.object({ caseId: RecordId, sessionId: SessionId }).strict();
const ScheduleSession = z
  .object({
    type: SessionType,
    title: Title.optional(),
    scheduledAt: z.iso.datetime({ offset: true }),
    /** Cross-organisation access for this session only: court staff joining a centre's mediation. */
    grantedAccountIds: z.array(RecordId).max(20).optional(),
    grantedOrgIds: z.array(RecordId).max(20).optional(),
  })
  .strict();
const NewSeat = z
  .object({
    role: Role,
    displayName: DisplayName,
    ttlSeconds: z
      .number()
      .int()
      .min(300)
      .max(30 * 86400)
      .default(7 * 86400),
  })
  .strict();
const SeatInviteAnswer = z.object({ seatId: z.string(), role: Role, displayName: z.string(), url: z.string(), expiresAt: z.string() });
const SlipRequest = z.object({ url: z.url().max(2048), displayName: DisplayName, expiresAt: z.iso.datetime({ offset: true }) }).strict();

/** 2026-11-21T06:30:00Z → 2026年11月21日 14:30 (China Standard Time). */
function chinaTime(iso: string): string {
  const t = new Date(Date.parse(iso) + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日 ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

/** Cases (案件), the sessions scheduled for them, their seats' links and invitation slips. */
export function registerCasesApi(registry: RouteRegistry, deps: CasesApiDeps): void {
  const { cases, accounts, orgs, access, sessions } = deps;

  const requireCaseSession = async (actor: Parameters<RecordAccess['requireCase']>[0], caseId: string, sessionId: string) => {
    const record = await access.requireCase(actor, caseId);
    if (!record.sessionIds.includes(sessionId)) throw new CourtLinkError('NOT_FOUND', 'No such session in this case.');
    return { record, session: await sessions.require(sessionId) };
  };

  registry.route(
    {
      method: 'get',
      path: '/cases',
      auth: 'staff',
      tag: 'cases',
      summary: 'Cases of the caller’s organisations, parties masked',
      response: z.object({ cases: z.array(CaseRecord) }),
    },
    async ({ actor }) => ({
      cases: (await cases.list(await access.visibleOrgs(actor))).map((c) => ({ ...c, parties: c.parties.map(maskParty) })),
    }),
  );

  registry.route(
    {
      method: 'post',
      path: '/cases',
      auth: caseWorkers,
      tag: 'cases',
      summary: 'Open a case (a case number is unique per organisation)',
      body: NewCase,
      response: z.object({ case: CaseRecord }),
      status: 201,
    },
    async ({ actor, body }) => {
      const visible = await access.visibleOrgs(actor);
      const mediator = await accounts.get(body.mediatorId);
      if (!mediator || !visible.has(mediator.orgId) || mediator.disabled)
        throw new CourtLinkError('INVALID_PAYLOAD', 'The responsible mediator is not an active account of your organisation.');
      const site = await orgs.getSite(body.siteId);
      if (!site || !visible.has(site.orgId)) throw new CourtLinkError('INVALID_PAYLOAD', 'The site is not one of your organisation’s.');
      return { case: await cases.create(actor.orgId, body, actor.accountId) };
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/cases/:caseId',
      auth: 'staff',
      tag: 'cases',
      summary: 'One case with its sessions (404 for another organisation’s case)',
      params: CaseParams,
      response: z.object({ case: CaseRecord, sessions: z.array(SessionSummary) }),
    },
    async ({ actor, params }) => {
      const record = await access.requireCase(actor, params.caseId);
      const summaries = await Promise.all(record.sessionIds.map((id) => sessions.get(id).then((s) => s?.summary)));
      return { case: record, sessions: summaries.filter((s) => s !== undefined) };
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/cases/:caseId/sessions',
      auth: caseWorkers,
      tag: 'cases',
      summary: 'Schedule a session for a case; the same type and time again returns the session already scheduled',
      params: CaseParams,
      body: ScheduleSession,
      response: z.object({ session: SessionSummary }),
      status: 201,
    },
    async ({ actor, params, body }) => {
      const record = await access.requireCase(actor, params.caseId);
      // Natural key (case, type, time): a double submit yields the one session.
      for (const id of record.sessionIds) {
        const existing = (await sessions.get(id))?.summary;
        if (
          existing &&
          existing.type === body.type &&
          existing.scheduledAt &&
          Date.parse(existing.scheduledAt) === Date.parse(body.scheduledAt)
        )
          return { session: existing };
      }
      const session = await sessions.create(
        {
          type: body.type,
          title: body.title ?? `${record.caseNumber}`,
          scheduledAt: body.scheduledAt,
          orgId: record.orgId,
          caseId: record.id,
          siteId: record.siteId,
          grantedAccountIds: body.grantedAccountIds,
          grantedOrgIds: body.grantedOrgIds,
        },
        { kind: 'staff', accountId: actor.accountId, staffRole: actor.staffRole },
      );
      await cases.addSession(record, session.id, body.scheduledAt, [...(body.grantedAccountIds ?? []), ...(body.grantedOrgIds ?? [])]);
      return { session };
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/cases/:caseId/sessions/:sessionId/seats',
      auth: caseWorkers,
      tag: 'cases',
      summary: 'Add a seat and get its join link (one seat, expiring)',
      params: CaseSessionParams,
      body: NewSeat,
      response: SeatInviteAnswer,
      status: 201,
    },
    async ({ actor, params, body }) => {
      await requireCaseSession(actor, params.caseId, params.sessionId);
      return issueSeatInvite(deps, params.sessionId, { kind: 'staff', accountId: actor.accountId, staffRole: actor.staffRole }, body);
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/cases/:caseId/sessions/:sessionId/slip',
      auth: caseWorkers,
      tag: 'cases',
      summary: 'A printable invitation slip (PDF) for one seat’s link',
      params: CaseSessionParams,
      body: SlipRequest,
      produces: 'application/pdf',
    },
    async ({ actor, params, body }) => {
      const { record, session } = await requireCaseSession(actor, params.caseId, params.sessionId);
      // Only our own join links go on a slip, never an arbitrary URL.
      if (!body.url.startsWith(`${deps.publicUrl()}/j/`))
        throw new CourtLinkError('INVALID_PAYLOAD', 'The link is not a CourtLink join link.');
      const site = await orgs.getSite(record.siteId);
      const pdf = await renderInvitationSlip({
        title: session.summary.title,
        caseNumber: record.caseNumber,
        displayName: body.displayName,
        when: chinaTime(session.summary.scheduledAt ?? session.summary.createdAt),
        where: site ? `${site.name}（${site.address}）` : '视频在线',
        url: body.url,
        expiresAt: chinaTime(body.expiresAt),
      });
      return new FileAnswer(pdf, 'application/pdf', `slip-${params.sessionId}.pdf`);
    },
  );
}
