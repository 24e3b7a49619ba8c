import type { ErrorCode } from './errors.js';
import { CourtLinkError } from './errors.js';
import {
  type Action,
  coHostRoles,
  type Role,
  type SeatAction,
  type SessionType,
  type StaffAccountRole,
  type StaffAction,
  seatActions,
} from './roles.js';
import type { SeatState, SessionStatus } from './session.js';

/** Someone holding a seat of the session (through its invite link). */
export type SeatActor = {
  kind: 'seat';
  seatId: string;
  role: Role;
  state: SeatState;
  host: boolean;
  /** false: a visit's family member the officer has not approved yet (issue 12). */
  approved?: boolean | undefined;
};
/** A signed-in staff member or a script's staff token. No orgId: an unscoped administrator token. */
export type StaffActor = { kind: 'staff'; accountId: string; staffRole: StaffAccountRole; orgId?: string | undefined };
/** The server itself: grace expiry, deadlines, shutdown, crash recovery. */
export type SystemActor = { kind: 'system'; reason: string };
export type Actor = SeatActor | StaffActor | SystemActor;

/** The seat an action is aimed at, when it has one. */
export type PolicyTarget = { seatId: string; role: Role; host: boolean; state: SeatState };

/** What the policy needs to know about the session. */
export type PolicyState = {
  type: SessionType;
  status: SessionStatus;
  locked: boolean;
  orgId?: string | undefined;
  grantedOrgIds?: readonly string[] | undefined;
  /** The session type records from start to end; nobody may stop it. */
  recordingForced?: boolean | undefined;
  /** Where the mediation agreement stands. */
  agreement?: 'none' | 'draft' | 'signed' | 'confirmed' | undefined;
  /** In a visit: the officer let family and the supervised person chat (issue 12). */
  chatAllowed?: boolean | undefined;
};

export type Decision = { allowed: true } | { allowed: false; code: ErrorCode; reason: string };

/**
 * host: the one host seat. staff: the host or a co-host (a staff-role seat).
 * publisher: everyone but observers. anyone: every seat.
 */
type Who = 'anyone' | 'publisher' | 'staff' | 'host';
/** others: not oneself. othersButHost: not oneself, and a co-host may not aim at the host. self: only oneself. */
type TargetRule = 'others' | 'othersButHost' | 'self' | 'hostCandidate';

type SeatRule = {
  who: Who;
  /** Further limits the action to these roles. */
  roles?: readonly Role[];
  /** The actor must be in the room, not in the waiting room. */
  admitted: boolean;
  target?: TargetRule;
  /** Roles refused this action in a session type. */
  refusedIn?: Partial<Record<SessionType, readonly Role[]>>;
  /** Session types where the action exists at all. */
  onlyIn?: readonly SessionType[];
  /** A rule on the session's state. */
  when?: (state: PolicyState) => Decision | undefined;
};

const deny = (code: ErrorCode, reason: string): Decision => ({ allowed: false, code, reason });
const allow: Decision = { allowed: true };

/**
 * The one table of who may do what in a session. The gateway and the REST API
 * both call authorize(); session code re-checks with the same function inside
 * its queue. Documented in the README ("Who may do what").
 */
export const seatPolicy: Readonly<Record<SeatAction, SeatRule>> = {
  join: { who: 'anyone', admitted: false },
  leave: { who: 'anyone', admitted: false },
  publish: { who: 'publisher', admitted: true },
  share_screen: { who: 'publisher', admitted: true, refusedIn: { visit: ['family', 'supervised_person'] } },
  receive: { who: 'anyone', admitted: true },
  chat: { who: 'anyone', admitted: true },
  raise_hand: { who: 'anyone', admitted: true },
  admit: { who: 'staff', admitted: true, target: 'others' },
  mute: { who: 'staff', admitted: true, target: 'othersButHost' },
  remove: { who: 'host', admitted: true, target: 'others' },
  lock: { who: 'host', admitted: true },
  auto_admit: { who: 'host', admitted: true },
  end: { who: 'host', admitted: true },
  handover: { who: 'host', admitted: true, target: 'hostCandidate' },
  record: {
    who: 'host',
    admitted: true,
    when: (s) => (s.recordingForced ? deny('RECORDING_FORCED', 'This session type is recorded from start to end.') : undefined),
  },
  caucus: { who: 'host', admitted: true, onlyIn: ['mediation', 'hearing'] },
  edit_agreement: { who: 'host', roles: ['mediator'], admitted: true, onlyIn: ['mediation'] },
  call_court: { who: 'host', roles: ['mediator'], admitted: true, onlyIn: ['mediation'] },
  sign: { who: 'anyone', roles: ['party'], admitted: true, target: 'self', onlyIn: ['mediation'] },
  confirm: {
    who: 'anyone',
    roles: ['court_staff'],
    admitted: true,
    onlyIn: ['mediation'],
    when: (s) =>
      s.agreement === 'signed' || s.agreement === 'confirmed' ? undefined : deny('CONFLICT', 'Only a signed agreement can be confirmed.'),
  },
  // Supervised visits (issue 12): only the officer hosting the visit turns chat on or off.
  allow_chat: { who: 'host', admitted: true, onlyIn: ['visit'] },
  // Agreements (issue 10): the draft's ID numbers and phones, whole; a party sees only their own line whole.
  see_party_details: { who: 'staff', admitted: true },
};

/** Roles a supervised visit keeps out of chat unless the officer allows it. */
const visitChatRoles: readonly Role[] = ['family', 'supervised_person'];

/**
 * Supervised visits (社区矫正远程视频会见, issue 12): a family member's link works
 * only once the officer approved them, and family and the supervised person
 * chat only when the officer allows it.
 */
function visitRule(actor: SeatActor, action: SeatAction, state: PolicyState): Decision | undefined {
  if (state.type !== 'visit') return undefined;
  if (actor.role === 'family' && actor.approved === false && action !== 'leave')
    return deny('VISIT_FAMILY_UNAPPROVED', 'The correctional officer has not yet approved you for this visit.');
  if (action === 'chat' && visitChatRoles.includes(actor.role) && !state.chatAllowed)
    return deny('VISIT_CHAT_OFF', 'Chat is off in this visit unless the officer allows it.');
  return undefined;
}

/** Staff roles allowed each staff action; organisation scoping applies on top. */
export const staffPolicy: Readonly<Record<StaffAction, readonly StaffAccountRole[]>> = {
  create_session: ['admin', 'mediator', 'court_staff', 'correctional_officer', 'lawyer'],
  view_session: ['admin', 'mediator', 'court_staff', 'correctional_officer', 'lawyer'],
  invite: ['admin', 'mediator', 'court_staff', 'correctional_officer', 'lawyer'],
  view_audit: ['admin', 'mediator', 'court_staff', 'correctional_officer'],
  view_recordings: ['admin', 'mediator', 'court_staff', 'correctional_officer'],
  answer_court_call: ['admin', 'court_staff'],
};

function isSeatAction(action: Action): action is SeatAction {
  return (seatActions as readonly string[]).includes(action);
}

function standing(actor: SeatActor, who: Who): boolean {
  switch (who) {
    case 'anyone':
      return true;
    case 'publisher':
      return actor.role !== 'observer';
    case 'staff':
      return actor.host || coHostRoles.includes(actor.role);
    case 'host':
      return actor.host;
  }
}

function checkTarget(rule: TargetRule, actor: SeatActor, target: PolicyTarget | undefined): Decision {
  if (!target) return deny('NOT_FOUND', 'No such participant in this session.');
  const self = target.seatId === actor.seatId;
  switch (rule) {
    case 'self':
      return self ? allow : deny('FORBIDDEN', 'You may only do this for yourself.');
    case 'others':
      return self ? deny('FORBIDDEN', 'You cannot do this to yourself.') : allow;
    case 'othersButHost':
      if (self) return deny('FORBIDDEN', 'You cannot do this to yourself.');
      return target.host && !actor.host ? deny('FORBIDDEN', 'Only the host can do this to the host.') : allow;
    case 'hostCandidate':
      if (self) return deny('FORBIDDEN', 'You are already the host.');
      // Any staff role can take the host seat when handed it (court staff confirming a mediation, say).
      if (!coHostRoles.includes(target.role)) return deny('FORBIDDEN', 'That person’s role cannot host this session.');
      return target.state === 'admitted' ? allow : deny('CONFLICT', 'That person is not in the session.');
  }
}

function authorizeSeat(actor: SeatActor, action: SeatAction, target: PolicyTarget | undefined, state: PolicyState): Decision {
  if (actor.state === 'denied') return deny('DENIED', 'The host did not admit you to this session.');
  if (actor.state === 'removed') return deny('REMOVED', 'You were removed from this session.');
  if (state.status === 'ended' && action !== 'leave') return deny('SESSION_ENDED', 'This session has ended.');
  const rule = seatPolicy[action];
  if (rule.onlyIn && !rule.onlyIn.includes(state.type)) return deny('FORBIDDEN', 'This session type does not allow that.');
  if (!standing(actor, rule.who)) return deny('FORBIDDEN', 'Your role is not allowed to do this.');
  if (rule.roles && !rule.roles.includes(actor.role)) return deny('FORBIDDEN', 'Your role is not allowed to do this.');
  if (rule.refusedIn?.[state.type]?.includes(actor.role)) return deny('FORBIDDEN', 'Your role is not allowed to do this here.');
  const visit = visitRule(actor, action, state);
  if (visit) return visit;
  // After the role checks: what a role may never do is FORBIDDEN even from the waiting room.
  if (rule.admitted && actor.state !== 'admitted') return deny('NOT_ADMITTED', 'You are still in the waiting room.');
  if (rule.target) {
    const decision = checkTarget(rule.target, actor, target);
    if (!decision.allowed) return decision;
  }
  return rule.when?.(state) ?? allow;
}

function authorizeStaff(actor: StaffActor, action: Action, state: PolicyState | undefined): Decision {
  if (isSeatAction(action)) return deny('FORBIDDEN', 'Join the session through a seat to do this.');
  if (!staffPolicy[action].includes(actor.staffRole)) return deny('FORBIDDEN', 'Your role is not allowed to do this.');
  // Another organisation's session looks like no session at all.
  if (state?.orgId && actor.orgId !== undefined && actor.orgId !== state.orgId && !state.grantedOrgIds?.includes(actor.orgId)) {
    return deny('NOT_FOUND', 'No such session.');
  }
  if (actor.orgId === undefined && actor.staffRole !== 'admin') return deny('FORBIDDEN', 'This token is not scoped to an organisation.');
  return allow;
}

/** The one policy: may this actor do this action, to this target, in this state? */
export function authorize(actor: Actor, action: Action, target: PolicyTarget | undefined, state: PolicyState | undefined): Decision {
  if (actor.kind === 'system') return allow;
  if (actor.kind === 'staff') return authorizeStaff(actor, action, state);
  if (!isSeatAction(action)) return deny('FORBIDDEN', 'Your role is not allowed to do this.');
  if (!state) return deny('NOT_FOUND', 'No such session.');
  return authorizeSeat(actor, action, target, state);
}

/** authorize(), throwing the refusal as a CourtLinkError. */
export function assertAllowed(actor: Actor, action: Action, target: PolicyTarget | undefined, state: PolicyState | undefined): void {
  const decision = authorize(actor, action, target, state);
  if (!decision.allowed) throw new CourtLinkError(decision.code, decision.reason);
}

/**
 * Whether a role could ever do a seat action, as host where hosting matters.
 * For the UI, to hide what the server would refuse; the server always asks authorize().
 */
export function can(role: Role, action: SeatAction, asHost = false): boolean {
  const rule = seatPolicy[action];
  const actor: SeatActor = { kind: 'seat', seatId: '', role, state: 'admitted', host: asHost };
  return standing(actor, rule.who) && (!rule.roles || rule.roles.includes(role));
}
