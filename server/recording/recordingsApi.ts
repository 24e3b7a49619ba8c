import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { recordingDir } from '../../recordings/index.js';
import { authorize, CourtLinkError, type Role, SessionId, type StaffActor } from '../../signaling/index.js';
import type { TokenService } from '../auth/index.js';
import type { RouteRegistry } from '../http/routes.js';
import type { SessionDirectory } from '../sessions/index.js';
import { type CompositeProgressOf, listRecordings, RecordingEntry, servableFiles, sessionOfRecording } from './recordingList.js';

export type RecordingsApiDeps = {
  dataDir: string;
  tokens: TokenService;
  sessions: SessionDirectory;
  publicKeyPem: string;
  progressOf: CompositeProgressOf;
  /** The back office's caller resolver (sign-in cookie or org-scoped Bearer). */
  resolveStaff: (req: Request) => Promise<StaffActor>;
};

/** Seats that may see a session's recordings besides its host: the staff roles of the session. */
const staffSeatRoles: readonly Role[] = ['mediator', 'court_staff', 'correctional_officer'];
const RecordingId = z.string().regex(/^rec_[a-z2-7]{20}$/);
const FileName = z.string().regex(/^[a-z0-9.-]{1,40}$/);

const contentTypes: [RegExp, string][] = [
  [/^video-.*\.webm$/, 'video/webm'],
  [/^audio-.*\.webm$/, 'audio/webm'],
  [/\.mp4$/, 'video/mp4'],
  [/\.json$/, 'application/json'],
  [/\.sig$/, 'text/plain'],
];

/**
 * Who may list, play or download a session's recordings: its host seat and
 * its staff seats (seat JWT as Bearer), and staff accounts the policy gives
 * `view_recordings` for the session's organisation. Anyone else is told the
 * session does not exist (404) or that the role may not (403).
 */
async function requireViewer(deps: RecordingsApiDeps, req: Request, sessionId: string): Promise<void> {
  const session = await deps.sessions.get(sessionId);
  if (!session) throw new CourtLinkError('NOT_FOUND', 'No such session.');
  const bearer = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
  let staff: StaffActor | undefined;
  if (bearer) {
    const seatClaims = (() => {
      try {
        return deps.tokens.verifyInvite(bearer);
      } catch {
        return undefined;
      }
    })();
    if (seatClaims) {
      const seat = session.core.seats.get(seatClaims.seatId);
      const mayView =
        seatClaims.sessionId === sessionId &&
        seat !== undefined &&
        seat.state !== 'removed' &&
        seat.state !== 'denied' &&
        (session.core.isHost(seat.seatId) || staffSeatRoles.includes(seat.role));
      if (seatClaims.sessionId !== sessionId) throw new CourtLinkError('NOT_FOUND', 'No such session.');
      if (!mayView) throw new CourtLinkError('FORBIDDEN', 'Only the host and staff of this session may see its recordings.');
      return;
    }
    // An unscoped administrator token from the CLI is allowed by the policy; the back office resolver would refuse it.
    const claims = deps.tokens.verifyStaff(bearer);
    staff = { kind: 'staff', accountId: claims.sub, staffRole: claims.staffRole, orgId: claims.orgId as string };
  } else staff = await deps.resolveStaff(req);
  const decision = authorize(staff, 'view_recordings', undefined, session.core.policyState());
  if (!decision.allowed) throw new CourtLinkError(decision.code, decision.reason);
}

/** Sends one file with range support. A malformed or unsatisfiable Range is 416 (send would quietly answer 200 to a malformed one). */
function sendRecordingFile(req: Request, res: Response, path: string, name: string, size: number): Promise<void> {
  if (req.get('range') !== undefined) {
    const ranges = req.range(size);
    if (ranges === -1 || ranges === -2) {
      res.set('content-range', `bytes */${size}`);
      throw new CourtLinkError('RANGE_NOT_SATISFIABLE');
    }
  }
  const type = contentTypes.find(([pattern]) => pattern.test(name))?.[1] ?? 'application/octet-stream';
  return new Promise((done, failed) => {
    res.sendFile(
      path,
      { acceptRanges: true, dotfiles: 'deny', headers: { 'content-type': type, 'cache-control': 'private, no-store' } },
      (err) => {
        if (!err || res.headersSent) done();
        else failed(new CourtLinkError('NOT_FOUND', 'No such file.'));
      },
    );
  });
}

/** Recording routes, in the back office's route registry (so they are in the OpenAPI document). */
export function registerRecordingsApi(registry: RouteRegistry, deps: RecordingsApiDeps): void {
  registry.route(
    {
      method: 'get',
      path: '/keys/recording',
      auth: 'public',
      tag: 'recordings',
      summary: 'The Ed25519 public key (SPKI PEM) that verifies recording manifests',
      produces: 'application/x-pem-file',
    },
    async ({ res }) => {
      res.type('application/x-pem-file').send(deps.publicKeyPem);
      return undefined;
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/sessions/:sessionId/recordings',
      // The caller may be a seat (its invite JWT), so the route resolves its own caller.
      auth: 'public',
      tag: 'recordings',
      summary:
        'A session’s recordings: tracks (names masked), gaps and the composite’s progress. Host and staff seats, or staff with view_recordings',
      params: z.object({ sessionId: SessionId }).strict(),
      response: z.object({ recordings: z.array(RecordingEntry) }),
    },
    async ({ params, req }) => {
      await requireViewer(deps, req, params.sessionId);
      return { recordings: await listRecordings(deps.dataDir, params.sessionId, deps.progressOf) };
    },
  );

  registry.route(
    {
      method: 'get',
      path: '/recordings/:recordingId/files/:name',
      auth: 'public',
      tag: 'recordings',
      summary: 'One file of a finalized recording (a track, the composite, the manifest or its signature), with Range requests',
      params: z.object({ recordingId: RecordingId, name: FileName }).strict(),
      produces: 'video/webm',
    },
    async ({ params, req, res }) => {
      const sessionId = await sessionOfRecording(deps.dataDir, params.recordingId);
      if (!sessionId) throw new CourtLinkError('NOT_FOUND', 'No such recording.');
      await requireViewer(deps, req, sessionId);
      const dir = recordingDir(deps.dataDir, sessionId, params.recordingId);
      const files = await servableFiles(dir);
      if (!files) throw new CourtLinkError('CONFLICT', 'This recording is still being made.');
      // The name only selects among names the manifest gives; the path is built from it only after that check.
      const name = [...files].find((f) => f === params.name);
      if (!name) throw new CourtLinkError('NOT_FOUND', 'No such file in this recording.');
      const path = join(dir, name);
      const size = (await stat(path).catch(() => undefined))?.size;
      if (size === undefined) throw new CourtLinkError('NOT_FOUND', 'No such file in this recording.');
      await sendRecordingFile(req, res, path, name, size);
      return undefined;
    },
  );
}
