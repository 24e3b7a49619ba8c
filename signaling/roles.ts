import { z } from 'zod';

export const roles = [
  'mediator', // 调解员
  'party', // 当事人
  'counsel', // 代理人/律师
  'court_staff', // 法官/书记员
  'correctional_officer', // 社区矫正工作人员
  'supervised_person', // 社区矫正对象
  'family', // 家属
  'interpreter', // 翻译
  'observer', // 旁听
] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const sessionTypes = ['mediation', 'visit', 'hearing', 'consultation'] as const;
export const SessionType = z.enum(sessionTypes);
export type SessionType = z.infer<typeof SessionType>;

/** Staff accounts (back office). `lawyer` hosts consultations. */
export const staffAccountRoles = ['admin', 'mediator', 'court_staff', 'correctional_officer', 'lawyer'] as const;
export const StaffAccountRole = z.enum(staffAccountRoles);
export type StaffAccountRole = z.infer<typeof StaffAccountRole>;

/** What a seat in a session may be allowed to do. The policy (policy.ts) decides each one. */
export const seatActions = [
  'join', // open the session with the seat's link
  'leave',
  'publish', // send own microphone and camera
  'share_screen',
  'receive', // receive others' media
  'chat',
  'raise_hand',
  'admit', // admit or deny people in the waiting room
  'mute', // mute others, ask them to unmute, stop their video
  'remove', // remove someone from the session
  'lock', // lock or unlock the session
  'auto_admit', // choose staff roles that skip the waiting room
  'end', // end the session for everyone
  'handover', // hand the host seat to someone else
  'record', // start and stop recording
  'caucus', // open caucus rooms and move people (背对背调解)
  'edit_agreement', // draft the mediation agreement
  'sign', // sign one's own line of the agreement
  'call_court', // call court staff in for judicial confirmation
  'confirm', // 司法确认: decide on the judicial confirmation of an agreement
  // Supervised visits (issue 12):
  'allow_chat', // let family and the supervised person chat in a visit
  // Agreements (issue 10):
  'see_party_details', // see other parties' full ID numbers and phones in the draft (others see them masked, as printed)
] as const;
export type SeatAction = (typeof seatActions)[number];

/** What a staff member may do through the REST API or the staff pages. */
export const staffActions = [
  'create_session',
  'view_session',
  'invite',
  'view_audit',
  'view_recordings',
  'answer_court_call', // list open 流动法庭 calls and join one directly (docs)
] as const;
export type StaffAction = (typeof staffActions)[number];

export const actions = [...seatActions, ...staffActions] as const;
export const Action = z.enum(actions);
export type Action = z.infer<typeof Action>;

/** Roles that can hold the host seat of a session of each type; the first invited seat of such a role becomes the host. */
export const hostRolesByType: Readonly<Record<SessionType, readonly Role[]>> = {
  mediation: ['mediator'],
  visit: ['correctional_officer'],
  hearing: ['court_staff', 'mediator'],
  consultation: ['counsel', 'mediator'],
};

/**
 * Staff roles. A staff seat that is not the host is a co-host: it sees the
 * waiting room, admits and denies, and mutes or asks to unmute anyone but the
 * host. Removing, locking, ending, caucus, recording and handover stay with
 * the one host (court staff called into a mediation cannot end it).
 */
export const staffRoles = ['mediator', 'court_staff', 'correctional_officer', 'interpreter'] as const satisfies readonly Role[];
export const coHostRoles: readonly Role[] = ['mediator', 'court_staff', 'correctional_officer'];

/** Session types recorded from start to end, which nobody can stop (a supervised visit). */
export function isRecordingForced(type: SessionType): boolean {
  return type === 'visit';
}

export function canHostType(role: Role, type: SessionType): boolean {
  return hostRolesByType[type].includes(role);
}

/** Whether a seat of this role may ever hold the host seat (of any session type). */
export function canHost(role: Role): boolean {
  return Object.values(hostRolesByType).some((list) => list.includes(role));
}
