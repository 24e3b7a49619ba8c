import { describe, expect, it } from 'vitest';
import {
  allowedBeforeAdmission,
  authorize,
  type PolicyState,
  type PolicyTarget,
  type RequestName,
  type Role,
  requestAction,
  requestActions,
  requestNames,
  roles,
  type SeatAction,
  type SeatActor,
  type StaffActor,
  seatActions,
  seatPolicy,
  sessionTypes,
  staffActions,
} from '../../signaling/index.js';

const basics: SeatAction[] = ['join', 'leave', 'publish', 'share_screen', 'receive', 'chat', 'raise_hand'];
const coHost: SeatAction[] = [...basics, 'admit', 'mute', 'see_party_details'];
const hostMediator: SeatAction[] = [
  ...coHost,
  'remove',
  'lock',
  'auto_admit',
  'end',
  'handover',
  'record',
  'caucus',
  'edit_agreement',
  'call_court',
];

/** Written out by hand: in a live mediation, admitted, what each role may do when it is not the host. */
const notHost: Record<Role, SeatAction[]> = {
  mediator: coHost,
  party: [...basics, 'sign'],
  counsel: basics,
  court_staff: [...coHost, 'confirm'],
  correctional_officer: coHost,
  supervised_person: basics,
  family: basics,
  interpreter: basics,
  observer: ['join', 'leave', 'receive', 'chat', 'raise_hand'],
};

const live: PolicyState = { type: 'mediation', status: 'live', locked: false, agreement: 'signed' };
const seat = (role: Role, host = false, state: SeatActor['state'] = 'admitted'): SeatActor => ({
  kind: 'seat',
  seatId: 'me000000',
  role,
  state,
  host,
});
const other: PolicyTarget = { seatId: 'other000', role: 'mediator', host: false, state: 'admitted' };
/** The target each action is tried on: yourself for signing, another admitted staff seat otherwise. */
const targetFor = (action: SeatAction): PolicyTarget | undefined =>
  action === 'sign' ? { seatId: 'me000000', role: 'party', host: false, state: 'admitted' } : seatPolicy[action].target ? other : undefined;

describe('the one policy', () => {
  it('answers every role × action in a live mediation exactly as written down, for non-hosts', () => {
    let pairs = 0;
    for (const role of roles) {
      for (const action of seatActions) {
        const decision = authorize(seat(role), action, targetFor(action), live);
        expect(decision.allowed, `${role} ${action}`).toBe(notHost[role].includes(action));
        if (!decision.allowed) expect(decision.code, `${role} ${action}`).toBe('FORBIDDEN');
        pairs++;
      }
    }
    expect(pairs).toBe(roles.length * seatActions.length);
  });

  it('gives the host seat its powers, and only to the host seat', () => {
    for (const action of seatActions) {
      expect(authorize(seat('mediator', true), action, targetFor(action), live).allowed, action).toBe(hostMediator.includes(action));
    }
  });

  it('keeps court staff in a mediation from ending, locking, removing or muting the host unless handed the host seat', () => {
    const staff = seat('court_staff');
    for (const action of ['end', 'lock', 'remove', 'caucus', 'record', 'handover'] as const)
      expect(authorize(staff, action, other, live)).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(authorize(staff, 'mute', { ...other, host: true }, live)).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(authorize(staff, 'mute', other, live).allowed).toBe(true);
    expect(authorize(seat('court_staff', true), 'end', undefined, live).allowed).toBe(true);
  });

  it('refuses denied and removed seats everything, forever, in every state', () => {
    for (const type of sessionTypes) {
      for (const status of ['scheduled', 'live', 'ended'] as const) {
        for (const action of seatActions) {
          for (const state of ['denied', 'removed'] as const) {
            const decision = authorize(seat('mediator', true, state), action, targetFor(action), { ...live, type, status });
            expect(decision, `${type} ${status} ${action} ${state}`).toMatchObject({
              allowed: false,
              code: state === 'denied' ? 'DENIED' : 'REMOVED',
            });
          }
        }
      }
    }
  });

  it('refuses everything but leaving once the session has ended', () => {
    for (const role of roles)
      for (const action of seatActions) {
        const decision = authorize(seat(role, true), action, targetFor(action), { ...live, status: 'ended' });
        if (action === 'leave') expect(decision.allowed).toBe(true);
        else expect(decision, `${role} ${action}`).toMatchObject({ allowed: false, code: 'SESSION_ENDED' });
      }
  });

  it('lets a waiting seat only join and leave; what its role could never do stays FORBIDDEN', () => {
    for (const action of seatActions) {
      const decision = authorize(seat('mediator', true, 'waiting'), action, targetFor(action), live);
      if (action === 'join' || action === 'leave') expect(decision.allowed).toBe(true);
      else expect(decision, action).toMatchObject({ allowed: false, code: hostMediator.includes(action) ? 'NOT_ADMITTED' : 'FORBIDDEN' });
    }
  });

  it('applies the state rules: forced recording, confirming only a signed agreement, targets', () => {
    expect(
      authorize(seat('correctional_officer', true), 'record', undefined, { ...live, type: 'visit', recordingForced: true }),
    ).toMatchObject({
      allowed: false,
      code: 'RECORDING_FORCED',
    });
    expect(authorize(seat('court_staff'), 'confirm', undefined, { ...live, agreement: 'draft' })).toMatchObject({
      allowed: false,
      code: 'CONFLICT',
    });
    expect(authorize(seat('party'), 'sign', other, live)).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(authorize(seat('mediator', true), 'remove', { ...other, seatId: 'me000000' }, live)).toMatchObject({ allowed: false });
    expect(authorize(seat('mediator', true), 'handover', { ...other, role: 'party' }, live)).toMatchObject({
      allowed: false,
      code: 'FORBIDDEN',
    });
    expect(authorize(seat('mediator', true), 'handover', { ...other, state: 'waiting' }, live)).toMatchObject({
      allowed: false,
      code: 'CONFLICT',
    });
    expect(authorize(seat('mediator', true), 'admit', undefined, live)).toMatchObject({ allowed: false, code: 'NOT_FOUND' });
  });

  it('keeps family and the supervised person from sharing screens in a visit, and caucus and agreements to mediations', () => {
    const visit = { ...live, type: 'visit' as const };
    expect(authorize(seat('family'), 'share_screen', undefined, visit)).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(authorize(seat('family'), 'publish', undefined, visit).allowed).toBe(true);
    expect(authorize(seat('correctional_officer', true), 'caucus', undefined, visit).allowed).toBe(false);
    expect(authorize(seat('mediator', true), 'edit_agreement', undefined, { ...live, type: 'consultation' }).allowed).toBe(false);
  });

  it('scopes staff to their organisation and hides other organisations’ sessions', () => {
    const staff = (staffRole: StaffActor['staffRole'], orgId?: string): StaffActor => ({
      kind: 'staff',
      accountId: 'a1',
      staffRole,
      orgId,
    });
    const ours = { ...live, orgId: 'org-a' };
    for (const action of staffActions) {
      // Answering a 流动法庭 call is the court's; every other staff action is open to mediators.
      const role = action === 'answer_court_call' ? 'court_staff' : 'mediator';
      expect(authorize(staff(role, 'org-a'), action, undefined, ours).allowed, action).toBe(true);
      expect(authorize(staff(role, 'org-b'), action, undefined, ours), action).toMatchObject({ allowed: false, code: 'NOT_FOUND' });
      expect(authorize(staff(role, 'org-b'), action, undefined, { ...ours, grantedOrgIds: ['org-b'] }).allowed, action).toBe(true);
    }
    expect(authorize(staff('mediator', 'org-a'), 'answer_court_call', undefined, ours)).toMatchObject({
      allowed: false,
      code: 'FORBIDDEN',
    });
    expect(authorize(staff('lawyer', 'org-a'), 'view_audit', undefined, ours)).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(authorize(staff('mediator'), 'view_session', undefined, ours)).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(authorize(staff('admin'), 'view_session', undefined, ours).allowed).toBe(true);
    expect(authorize(staff('admin', 'org-a'), 'end', undefined, ours)).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(authorize({ kind: 'system', reason: 'deadline' }, 'end', undefined, ours).allowed).toBe(true);
  });

  it('maps every request to a policy action, screens to share_screen', () => {
    expect(Object.keys(requestActions).sort()).toEqual([...requestNames].sort());
    for (const name of requestNames) expect(seatActions).toContain(requestActions[name]);
    expect(requestAction('media:produce', { source: 'screen' } as never)).toBe('share_screen');
    expect(requestAction('media:produce', { source: 'camera' } as never)).toBe('publish');
    const beforeAdmission = new Set<RequestName>(allowedBeforeAdmission);
    for (const name of requestNames) if (beforeAdmission.has(name)) expect(['join', 'leave']).toContain(requestActions[name]);
  });
});
