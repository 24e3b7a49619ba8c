import express, { type Request } from 'express';
import { z } from 'zod';
import {
  assertAllowed,
  authorize,
  CourtLinkError,
  DisplayName,
  DocumentId,
  DocumentInfo,
  type EventActor,
  SessionId,
  type StaffActor,
} from '../../signaling/index.js';
import type { AgreementDeps } from '../agreements/index.js';
import type { TokenService } from '../auth/index.js';
import { verifyPdf } from '../documents/index.js';
import { linkToSeat } from '../records/seatInvites.js';
import type { InviteLinks, LiveSession, SessionDirectory } from '../sessions/index.js';
import { staffActorResolver } from './api.js';
import { FileAnswer, RouteRegistry } from './routes.js';

export type DocumentsApiDeps = {
  tokens: TokenService;
  /** A signed-in staff member from the back office's cookie, when there is no Bearer token. */
  cookieActor: (req: Request) => Promise<StaffActor>;
  sessions: SessionDirectory;
  links: InviteLinks;
  agreements: AgreementDeps;
  publicUrl: () => string;
};

const JoinCall = z.object({ displayName: DisplayName.optional() }).strict();
const pdfMagic = Buffer.from('%PDF-');
/** Court staff answering a call get a link valid for a working half-day. */
const courtLinkTtlSeconds = 4 * 3600;

const bearer = (req: Request) => /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];

/**
 * May the caller read this session's documents? Its participants (their seat's
 * invite JWT, even after the session ended, unless denied or removed) and its
 * staff (staff token + the policy's view_session). Anything else looks like no session.
 */
async function assertReader(
  deps: DocumentsApiDeps,
  staff: (req: Request) => Promise<StaffActor>,
  req: Request,
  sessionId: string,
): Promise<LiveSession> {
  const token = bearer(req);
  const session = await deps.sessions.require(sessionId);
  let claims: ReturnType<TokenService['verifyInvite']> | undefined;
  try {
    claims = token ? deps.tokens.verifyInvite(token) : undefined;
  } catch {
    claims = undefined;
  }
  if (claims) {
    const seat = session.core.seats.get(claims.seatId);
    if (claims.sessionId !== session.id || !seat || seat.role !== claims.role) throw new CourtLinkError('NOT_FOUND', 'No such session.');
    if (seat.state === 'denied' || seat.state === 'removed') throw new CourtLinkError(seat.state === 'denied' ? 'DENIED' : 'REMOVED');
    return session;
  }
  assertAllowed(await staff(req), 'view_session', undefined, session.core.policyState());
  return session;
}

const eventActor = (actor: StaffActor): EventActor => ({ kind: 'staff', accountId: actor.accountId, staffRole: actor.staffRole });

/** Verification report for the /verify page: every signature, its signer and time, and what it binds. */
function describeSignatures(report: Awaited<ReturnType<typeof verifyPdf>>) {
  return {
    ok: report.ok,
    problem: report.problem,
    signatures: report.signatures.map((s) => ({
      field: s.field,
      valid: s.valid,
      intact: s.intact,
      trusted: s.trusted,
      signer: s.signer,
      signingTime: s.signingTime,
      modifiedAfterSigning: !s.totalDocumentSigned,
      // Development certificates carry 开发测试 in their names (server/documents/certificates.ts).
      development: s.signer.includes('开发测试'),
      problem: s.problem,
      binding: s.binding,
    })),
  };
}

const Call = z.object({ sessionId: z.string(), title: z.string(), calledAt: z.string(), agreement: z.string().optional() });
const Signatures = z.object({
  ok: z.boolean(),
  problem: z.string().optional(),
  signatures: z.array(
    z.object({
      field: z.string(),
      valid: z.boolean(),
      intact: z.boolean(),
      trusted: z.boolean(),
      signer: z.string(),
      signingTime: z.string().optional(),
      modifiedAfterSigning: z.boolean(),
      development: z.boolean(),
      problem: z.string().optional(),
      binding: z.record(z.string(), z.string()),
    }),
  ),
});
const JoinAnswer = z.object({ seatId: z.string(), linkId: z.string(), url: z.string(), token: z.string(), expiresAt: z.string() });
const PdfBody = z.custom<Buffer>((v) => Buffer.isBuffer(v), 'a PDF file');

/**
 * Signed agreements and rulings: listing and download for a session's people
 * (their seat token) and staff, public verification, and the court's view of
 * open 流动法庭 calls. Every route is in the registry, so OpenAPI lists it.
 */
export function createDocumentsApi(deps: DocumentsApiDeps): RouteRegistry<StaffActor> {
  const { agreements, sessions, tokens } = deps;
  const staff = staffActorResolver(tokens, deps.cookieActor);
  const registry = new RouteRegistry<StaffActor>(staff);
  // Raw bytes of any type for /verify, so a wrong type is told "not a PDF" (a use() layer, not a route).
  registry.router.use('/verify', express.raw({ type: () => true, limit: '20mb' }));

  registry.route(
    {
      method: 'get',
      path: '/sessions/:id/documents',
      auth: 'public',
      tag: 'documents',
      summary: "A session's signed documents; its participants (seat token) and staff",
      params: z.object({ id: SessionId }).strict(),
      response: z.object({ documents: z.array(DocumentInfo) }),
    },
    async ({ req, params }) => ({ documents: (await assertReader(deps, staff, req, params.id)).agreement.documents() }),
  );

  registry.route(
    {
      method: 'get',
      path: '/documents/:id',
      auth: 'public',
      tag: 'documents',
      summary: "One signed PDF; its session's participants (seat token) and staff",
      params: z.object({ id: DocumentId }).strict(),
      produces: 'application/pdf',
    },
    async ({ req, params }) => {
      const info = await agreements.store.documentInfo(params.id);
      if (!info) throw new CourtLinkError('NOT_FOUND', 'No such document.');
      await assertReader(deps, staff, req, info.sessionId);
      return new FileAnswer(await agreements.store.readFile(info), 'application/pdf', `${info.kind}-${info.id}.pdf`);
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/verify',
      auth: 'public',
      tag: 'documents',
      summary: 'Verify every signature of a PDF (raw body, application/pdf, at most 20 MB)',
      body: z.unknown(),
      response: Signatures,
    },
    async ({ req }) => {
      const body: unknown = req.body;
      if (
        !PdfBody.safeParse(body).success ||
        (body as Buffer).length < pdfMagic.length ||
        !(body as Buffer).subarray(0, pdfMagic.length).equals(pdfMagic)
      )
        throw new CourtLinkError('DOCUMENT_NOT_PDF');
      return describeSignatures(await verifyPdf(body as Buffer, agreements.keys.trustedRoots));
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/court/calls',
      auth: ['admin', 'court_staff'],
      tag: 'documents',
      summary: 'Open calls from mediators for judicial confirmation (流动法庭)',
      response: z.object({ calls: z.array(Call) }),
    },
    async ({ actor }) => {
      assertAllowed(actor, 'answer_court_call', undefined, undefined);
      const calls = [];
      for (const { sessionId, calledAt } of await agreements.store.calledSessions()) {
        const session = await sessions.get(sessionId);
        const state = session?.core.policyState();
        if (!session || !state?.courtCallOpen) continue;
        if (!authorize(actor, 'answer_court_call', undefined, state).allowed) continue;
        calls.push({ sessionId, title: session.summary.title, calledAt, agreement: state.agreement });
      }
      return { calls };
    },
  );

  registry.route(
    {
      method: 'post',
      path: '/court/calls/:sessionId/join',
      auth: ['admin', 'court_staff'],
      tag: 'documents',
      summary: 'Answer a call: a court_staff seat on the session, admitted on join while the call is open',
      params: z.object({ sessionId: SessionId }).strict(),
      body: JoinCall,
      response: JoinAnswer,
      status: 201,
    },
    async ({ actor, params, body }) => {
      const session = await sessions.require(params.sessionId);
      assertAllowed(actor, 'answer_court_call', undefined, session.core.policyState());
      const seat = await session.answerCourtCall(eventActor(actor), actor.accountId, body.displayName ?? '法院工作人员');
      const link = await linkToSeat(deps, session.id, seat.seatId, courtLinkTtlSeconds);
      const token = tokens.signInvite(
        { sessionId: session.id, seatId: seat.seatId, role: seat.role, displayName: seat.displayName },
        courtLinkTtlSeconds,
      );
      return { seatId: seat.seatId, ...link, token };
    },
  );

  return registry;
}
