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

export const actions = [
  'publish', // send own audio/video/screen
  'admit', // admit or deny people in the waiting room
  'mute', // mute others, ask them to unmute, stop their video
  'remove', // remove someone from the session
  'lock', // lock or unlock the session
  'end', // end the session for everyone
  'record', // start and stop recording
  'caucus', // move people into a private caucus (背对背调解)
  'edit_agreement', // draft the mediation agreement
  'sign', // sign the agreement
  'confirm', // 司法确认: judicial confirmation of a mediation agreement
] as const;
export const Action = z.enum(actions);
export type Action = z.infer<typeof Action>;

const host: Action[] = ['publish', 'admit', 'mute', 'remove', 'lock', 'end', 'record'];

/**
 * The one permission table. The server checks it for every action; the UI
 * only uses it to hide what the server would refuse anyway.
 */
export const permissions: Readonly<Record<Role, ReadonlySet<Action>>> = {
  mediator: new Set([...host, 'caucus', 'edit_agreement', 'sign']),
  party: new Set(['publish', 'sign']),
  counsel: new Set(['publish']),
  court_staff: new Set([...host, 'confirm']),
  correctional_officer: new Set(host),
  supervised_person: new Set(['publish']),
  family: new Set(['publish']),
  interpreter: new Set(['publish']),
  observer: new Set([]),
};

export function can(role: Role, action: Action): boolean {
  return permissions[role].has(action);
}

/** Roles that may host a session: the first seat of such a role becomes the host unless one is named. */
export function canHost(role: Role): boolean {
  return can(role, 'admit');
}

/** Staff roles a host may choose to admit without waiting. */
export const staffRoles = ['mediator', 'court_staff', 'correctional_officer', 'interpreter'] as const satisfies readonly Role[];
