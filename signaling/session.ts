import { z } from 'zod';
import { Role, SessionType, staffRoles } from './roles.js';

/** Ids never start with '-' or '_', so no command line mistakes one for an option. */
export const SessionId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{7,63}$/, 'a session id');
export const SeatId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{7,63}$/, 'a seat id');
export const DisplayName = z.string().trim().min(1).max(64);
export const Title = z.string().trim().min(1).max(200);

/** The host may let these roles skip the waiting room. */
export const StaffRole = z.enum(staffRoles);

/**
 * invited: link issued, never connected. waiting: in the waiting room.
 * admitted: in the session. denied/removed: refused for good (the same link
 * never opens the session again). left: gone; coming back means waiting again.
 */
export const SeatState = z.enum(['invited', 'waiting', 'admitted', 'denied', 'removed', 'left']);
export type SeatState = z.infer<typeof SeatState>;

export const SessionStatus = z.enum(['scheduled', 'live', 'ended']);
export type SessionStatus = z.infer<typeof SessionStatus>;

/** The pre-join self-test's result (modelled on HMCTS Video Hearings): what the host sees in the waiting list. */
export const SelfTest = z.object({
  verdict: z.enum(['good', 'okay', 'bad']),
  rttMs: z.number().nonnegative().max(60_000).optional(),
  udp: z.boolean().optional(),
  camera: z.boolean().optional(),
  microphone: z.boolean().optional(),
  audioOnly: z.boolean().optional(),
});
export type SelfTest = z.infer<typeof SelfTest>;

/** Where a seat is: the joint room, or a caucus room (背对背调解) by its id. */
export const jointRoom = 'joint';
export const Location = z.string().regex(/^(joint|k[A-Za-z0-9]{6,24})$/, 'a room id');
export type Location = z.infer<typeof Location>;
export const CaucusName = z.string().trim().min(1).max(40);
export const Caucus = z.object({
  id: Location,
  name: CaucusName,
  /** A caucus is not recorded unless the host turns recording on for it. */
  recorded: z.boolean().default(false),
});
export type Caucus = z.infer<typeof Caucus>;

export const Participant = z.object({
  seatId: SeatId,
  displayName: DisplayName,
  role: Role,
  host: z.boolean(),
  state: SeatState,
  connected: z.boolean(),
  selfTest: SelfTest.optional(),
  handRaised: z.boolean().optional(),
  location: Location.default(jointRoom),
  /** 申请人 / 被申请人, when the seat is a party with a side. */
  side: z.enum(['applicant', 'respondent']).optional(),
  /** A visit's family member: false until the officer approves them (issue 12). */
  approved: z.boolean().optional(),
});
export type Participant = z.infer<typeof Participant>;

export const SessionSummary = z.object({
  id: SessionId,
  type: SessionType,
  title: Title,
  status: SessionStatus,
  locked: z.boolean(),
  hostSeatId: SeatId.optional(),
  autoAdmitRoles: z.array(StaffRole),
  /** Whether the session is being recorded right now; every screen shows it when true. */
  recording: z.boolean().default(false),
  createdAt: z.string(),
  scheduledAt: z.string().optional(),
  /** Caucus rooms open right now; the joint room always exists. */
  caucuses: z.array(Caucus).max(8).default([]),
  /** Why the session ended, once it has. */
  endReason: z.enum(['host', 'deadline', 'admin']).optional(),
  /** The organisation that runs the session, and others granted access to it (court staff joining a centre's mediation). */
  orgId: z.string().max(64).optional(),
  grantedOrgIds: z.array(z.string().max(64)).max(50).optional(),
  grantedAccountIds: z.array(z.string().max(64)).max(50).optional(),
  caseId: z.string().max(64).optional(),
  siteId: z.string().max(64).optional(),
  /** When the first person was admitted (the session went live). */
  startedAt: z.string().optional(),
  // Supervised visits (issue 12):
  /** When the visit ends by itself; every screen counts down to it. */
  endsAt: z.string().optional(),
  /** The officer let family and the supervised person chat. */
  visitChatAllowed: z.boolean().optional(),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

/** Claims of an invite link's JWT: one session, one seat. */
export const InviteClaims = z.object({
  sessionId: SessionId,
  seatId: SeatId,
  role: Role,
  displayName: DisplayName,
});
export type InviteClaims = z.infer<typeof InviteClaims>;
