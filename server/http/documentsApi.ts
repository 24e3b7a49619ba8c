import express, { type Request, Router } from 'express';
import { z } from 'zod';
import {
  assertAllowed,
  CourtLinkError,
  DisplayName,
  DocumentId,
  type DocumentInfo,
  type EventActor,
  SessionId,
  type StaffActor,
} from '../../signaling/index.js';
import type { AgreementDeps } from '../agreements/index.js';
import type { TokenService } from '../auth/index.js';
import { verifyPdf } from '../documents/index.js';
import type { InviteLinks, LiveSession, SessionDirectory } from '../sessions/index.js';
import { parse, staffActor } from './api.js';

export type DocumentsApiDeps = {
  tokens: TokenService;
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
async function assertReader(deps: DocumentsApiDeps, req: Request, sessionId: string): Promise<LiveSession> {
  const token = bearer(req);
  if (!token) throw new CourtLinkError('UNAUTHENTICATED');
  const session = await deps.sessions.require(sessionId);
  let claims: ReturnType<TokenService['verifyInvite']> | undefined;
  try {
    claims = deps.tokens.verifyInvite(token);
  } catch {
    claims = undefined;
  }
  if (claims) {
    const seat = session.core.seats.get(claims.seatId);
    if (claims.sessionId !== session.id || !seat || seat.role !== claims.role) throw new CourtLinkError('NOT_FOUND', 'No such session.');
    if (seat.state === 'denied' || seat.state === 'removed') throw new CourtLinkError(seat.state === 'denied' ? 'DENIED' : 'REMOVED');
    return session;
  }
  assertAllowed(staffActor(deps.tokens, req), 'view_session', undefined, session.core.policyState());
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

/**
 * Signed agreements and rulings: listing and download for a session's people,
 * public verification, and the court's view of open 流动法庭 calls.
 */
export function createDocumentsRouter(deps: DocumentsApiDeps): Router {
  const router = Router();
  const { agreements, sessions, tokens, links } = deps;

  router.get('/sessions/:id/documents', async (req, res) => {
    const session = await assertReader(deps, req, parse(SessionId, req.params.id));
    res.json({ documents: session.agreement.documents() });
  });

  router.get('/documents/:id', async (req, res) => {
    const info: DocumentInfo | undefined = await agreements.store.documentInfo(parse(DocumentId, req.params.id));
    if (!info) throw new CourtLinkError('NOT_FOUND', 'No such document.');
    await assertReader(deps, req, info.sessionId);
    const pdf = await agreements.store.readFile(info);
    res
      .type('application/pdf')
      .set('Content-Disposition', `attachment; filename="${info.kind}-${info.id}.pdf"`)
      .set('Cache-Control', 'private, no-store')
      .send(pdf);
  });

  // Public: anyone holding a document can check it. Raw body of any type, so a wrong type is told "not a PDF".
  router.post('/verify', express.raw({ type: () => true, limit: '20mb' }), async (req, res) => {
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body) || body.length < pdfMagic.length || !body.subarray(0, pdfMagic.length).equals(pdfMagic))
      throw new CourtLinkError('DOCUMENT_NOT_PDF');
    res.json(describeSignatures(await verifyPdf(body, agreements.keys.trustedRoots)));
  });

  router.get('/court/calls', async (req, res) => {
    const actor = staffActor(tokens, req);
    assertAllowed(actor, 'answer_court_call', undefined, undefined);
    const calls = [];
    for (const { sessionId, calledAt } of await agreements.store.calledSessions()) {
      const session = await sessions.get(sessionId);
      if (!session?.agreement.courtCallOpen()) continue;
      const state = session.core.policyState();
      try {
        assertAllowed(actor, 'answer_court_call', undefined, state);
      } catch {
        continue;
      }
      calls.push({ sessionId, title: session.summary.title, calledAt, agreement: state.agreement });
    }
    res.json({ calls });
  });

  router.post('/court/calls/:sessionId/join', async (req, res) => {
    const actor = staffActor(tokens, req);
    const session = await sessions.require(parse(SessionId, req.params.sessionId));
    assertAllowed(actor, 'answer_court_call', undefined, session.core.policyState());
    const { displayName } = parse(JoinCall, req.body);
    const seat = await session.answerCourtCall(eventActor(actor), actor.accountId, displayName ?? '法院工作人员');
    const { linkId, expiresAt } = await links.create({ sessionId: session.id, seatId: seat.seatId }, courtLinkTtlSeconds);
    const token = tokens.signInvite(
      { sessionId: session.id, seatId: seat.seatId, role: seat.role, displayName: seat.displayName },
      courtLinkTtlSeconds,
    );
    res.status(201).json({
      seatId: seat.seatId,
      linkId,
      url: `${deps.publicUrl()}/j/${linkId}`,
      token,
      expiresAt: new Date(expiresAt).toISOString(),
    });
  });

  return router;
}
