import { z } from 'zod';
import { Role, StaffAccountRole } from './roles.js';
import { CaucusName, Location, SeatId, SelfTest, StaffRole } from './session.js';

/**
 * Domain events: the one record of what happened in a session. Every state
 * change is made by committing one of these (server/sessions/SessionCore);
 * client notifications, the audit trail, and later the ledger and the
 * recorder subscribe to them and never re-derive the facts.
 *
 * Data may carry names (PII); the audit trail masks them before writing.
 */
const Seat = z.object({ seatId: SeatId });
const RecordingId = z.string().regex(/^rec_[a-z2-7]{20}$/);
const TrackId = z.string().regex(/^t\d{2,}$/);

export const domainEventData = {
  'seat.invited': z.object({ seatId: SeatId, role: Role, displayName: z.string(), host: z.boolean() }),
  'seat.waiting': z.object({ seatId: SeatId, selfTest: SelfTest.optional() }),
  /**
   * how: host (admitted from the waiting room), auto (the host seat or an auto-admitted role), returned (back
   * within the grace period on the node that saw it drop), resumed (back within the grace period after a restart).
   */
  'seat.admitted': z.object({ seatId: SeatId, how: z.enum(['host', 'auto', 'returned', 'resumed']) }),
  'seat.denied': Seat,
  'seat.removed': z.object({ seatId: SeatId, from: z.string() }),
  'seat.left': z.object({ seatId: SeatId, from: z.string() }),
  /** The grace period after a dropped connection ran out. */
  'seat.expired': z.object({ seatId: SeatId, from: z.string() }),
  'seat.disconnected': Seat,
  'seat.handRaised': z.object({ seatId: SeatId, raised: z.boolean() }),
  'host.muted': z.object({ seatId: SeatId, source: z.enum(['mic', 'camera']) }),
  'host.unmuteRequested': Seat,
  'host.autoAdmitChanged': z.object({ roles: z.array(StaffRole) }),
  'host.handedOver': z.object({ from: SeatId, to: SeatId }),
  'session.created': z.object({ type: z.string(), scheduledAt: z.string().optional() }),
  'session.started': z.object({}),
  'session.locked': z.object({ locked: z.boolean() }),
  'session.ended': z.object({ reason: z.enum(['host', 'deadline', 'admin']) }),
  /** This node stopped gracefully; seats keep their claim for the grace period. */
  'session.suspended': z.object({ reason: z.literal('shutdown') }),
  /** The session was loaded after this node stopped without suspending it (a crash). */
  'session.recovered': z.object({ admittedSeats: z.number().int().nonnegative() }),
  'caucus.opened': z.object({ roomId: Location, name: CaucusName }),
  'caucus.moved': z.object({ seatIds: z.array(SeatId).min(1), roomId: Location }),
  'caucus.closed': z.object({ roomId: Location }),
  'caucus.recordingSet': z.object({ roomId: Location, recorded: z.boolean() }),
  /** Metadata only: never the text. */
  'chat.sent': z.object({ from: SeatId, to: z.union([SeatId, z.enum(['hosts', 'room'])]), room: Location, length: z.number().int() }),

  // ---- agreements and judicial confirmation (docs) ----
  /** A new version of the draft: a summary, never the text. */
  'agreement.edited': z.object({
    version: z.number().int(),
    parties: z.number().int(),
    clauses: z.number().int(),
    /** Clauses added, changed or removed in this version (their confirmations were cleared). */
    changedClauses: z.array(z.string()),
  }),
  'agreement.clauseConfirmed': z.object({ seatId: SeatId, clauseId: z.string(), version: z.number().int() }),
  /** The attestation printed under the handwritten signature. */
  'agreement.signed': z.object({
    seatId: SeatId,
    partyId: z.string(),
    name: z.string(),
    idLast4: z.string(),
    ip: z.string(),
    signedAt: z.string(),
    version: z.number().int(),
  }),
  'agreement.finalized': z.object({
    documentId: z.string(),
    sha256: z.string(),
    auditHead: z.string(),
    recordingManifestSha256: z.string().optional(),
  }),
  'court.called': z.object({}),
  'court.joined': z.object({ seatId: SeatId, accountId: z.string().max(128) }),
  'court.decided': z.object({
    confirmed: z.boolean(),
    reason: z.string().optional(),
    documentId: z.string(),
    sha256: z.string(),
    agreementSha256: z.string(),
  }),
  // ---- recording (issue 9): control and the recorder's facts, so the audit trail shows every start, stop, segment and gap
  'recording.started': z.object({ recordingId: RecordingId }),
  /** The manifest is signed; its SHA-256 binds the files to this chain. */
  'recording.stopped': z.object({ recordingId: RecordingId, manifestSha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** A track file began (its first RTP packet); segment > 0 follows a recorder crash. Times are ms from the recording's start. */
  'recording.segment': z.object({
    recordingId: RecordingId,
    trackId: TrackId,
    segment: z.number().int().min(0),
    start: z.number().int().min(0),
  }),
  'recording.gap': z.object({
    recordingId: RecordingId,
    trackId: TrackId,
    start: z.number().int().min(0),
    end: z.number().int().min(0),
    reason: z.enum(['recorderCrashed', 'serverStopped']),
  }),
  /** The server stopped while recording; the files were repaired at start-up and the session is no longer recording. */
  'recording.interrupted': z.object({ recordingId: RecordingId.optional() }),
  // ---- supervised visits (社区矫正远程视频会见, issue 12) ----
  /** The officer approved a family member; only now does their link open the visit. */
  'visit.familyApproved': Seat,
  /** The visit's clock started: it ends by itself at endsAt. */
  'visit.started': z.object({ endsAt: z.string(), durationSeconds: z.number().int().positive() }),
  /** A warning before the end (5 minutes, 1 minute). */
  'visit.warning': z.object({ secondsLeft: z.number().int().positive(), endsAt: z.string() }),
  'visit.chatAllowed': z.object({ allowed: z.boolean() }),
  // the ledger (台账): the responsible staff member set or corrected the outcome
  'ledger.outcomeEdited': z.object({ before: z.string().optional(), after: z.string() }),
} as const;

export type DomainEventType = keyof typeof domainEventData;
export const domainEventTypes = Object.keys(domainEventData) as DomainEventType[];
export type DomainEventDataOf<T extends DomainEventType> = z.infer<(typeof domainEventData)[T]>;

/** Who caused an event: a seat, a staff member (REST), or the system (grace expiry, deadlines, shutdown, recovery). */
export const EventActor = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('seat'), seatId: SeatId, role: Role }),
  z.object({ kind: z.literal('staff'), accountId: z.string().max(128), staffRole: StaffAccountRole }),
  z.object({ kind: z.literal('system'), reason: z.string().max(64) }),
]);
export type EventActor = z.infer<typeof EventActor>;

export type DomainEvent<T extends DomainEventType = DomainEventType> = {
  [K in T]: { type: K; sessionId: string; at: string; actor: EventActor; data: DomainEventDataOf<K> };
}[T];
