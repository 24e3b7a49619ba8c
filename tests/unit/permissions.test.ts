import { describe, expect, it } from 'vitest';
import {
  type Action,
  actions,
  allowedBeforeAdmission,
  can,
  canHost,
  permissions,
  type RequestName,
  type Role,
  requestNames,
  requiredAction,
  roles,
  staffRoles,
} from '../../signaling/index.js';

/** Who may do what, written out by hand: a change to the table has to change this too. */
const expected: Record<Role, Action[]> = {
  mediator: ['publish', 'admit', 'mute', 'remove', 'lock', 'end', 'record', 'caucus', 'edit_agreement', 'sign'],
  party: ['publish', 'sign'],
  counsel: ['publish'],
  court_staff: ['publish', 'admit', 'mute', 'remove', 'lock', 'end', 'record', 'confirm'],
  correctional_officer: ['publish', 'admit', 'mute', 'remove', 'lock', 'end', 'record'],
  supervised_person: ['publish'],
  family: ['publish'],
  interpreter: ['publish'],
  observer: [],
};

const holders = (action: Action) => roles.filter((role) => can(role, action));

describe('permission table', () => {
  it('has an entry for every role and only known actions in it', () => {
    expect(Object.keys(permissions).sort()).toEqual([...roles].sort());
    for (const role of roles) {
      for (const action of permissions[role]) expect(actions).toContain(action);
    }
  });

  it('answers every role/action pair exactly as written down', () => {
    let pairs = 0;
    for (const role of roles) {
      for (const action of actions) {
        expect(can(role, action), `${role} ${action}`).toBe(expected[role].includes(action));
        pairs++;
      }
    }
    expect(pairs).toBe(roles.length * actions.length);
  });

  it('lets an observer do nothing at all', () => {
    for (const action of actions) expect(can('observer', action)).toBe(false);
    expect(canHost('observer')).toBe(false);
  });

  it('keeps caucus and the agreement draft to mediators, and judicial confirmation to court staff', () => {
    expect(holders('caucus')).toEqual(['mediator']);
    expect(holders('edit_agreement')).toEqual(['mediator']);
    expect(holders('confirm')).toEqual(['court_staff']);
  });

  it('lets parties sign but not run the session', () => {
    expect(can('party', 'sign')).toBe(true);
    expect(can('party', 'publish')).toBe(true);
    for (const action of ['admit', 'mute', 'remove', 'lock', 'end', 'record', 'caucus', 'edit_agreement', 'confirm'] as const) {
      expect(can('party', action), action).toBe(false);
    }
    expect(holders('sign').sort()).toEqual(['mediator', 'party']);
  });

  it('lets only hosting roles host, and every hosting role run the whole session', () => {
    expect(roles.filter(canHost).sort()).toEqual(['correctional_officer', 'court_staff', 'mediator']);
    for (const role of roles.filter(canHost)) {
      for (const action of ['admit', 'mute', 'remove', 'lock', 'end'] as const) expect(can(role, action), `${role} ${action}`).toBe(true);
    }
  });

  it('lets every role except observers publish', () => {
    expect(holders('publish')).toEqual(roles.filter((r) => r !== 'observer'));
  });

  it('names only real roles as staff roles that may skip the waiting room', () => {
    for (const role of staffRoles) expect(roles).toContain(role);
    expect(staffRoles).not.toContain('party');
    expect(staffRoles).not.toContain('observer');
  });
});

describe('privileged requests', () => {
  it('needs a permission for every host request and for publishing media', () => {
    const hostRequests = requestNames.filter((name) => name.startsWith('host:'));
    expect(hostRequests.length).toBeGreaterThan(0);
    for (const name of hostRequests) expect(requiredAction[name], name).toBeDefined();
    expect(requiredAction['media:produce']).toBe('publish');
  });

  it('maps only real requests to real actions', () => {
    for (const [name, action] of Object.entries(requiredAction)) {
      expect(requestNames).toContain(name as RequestName);
      expect(actions).toContain(action);
    }
  });

  it('gives every privileged request at least one role that may send it, and never an observer', () => {
    for (const [name, action] of Object.entries(requiredAction) as [RequestName, Action][]) {
      expect(holders(action).length, name).toBeGreaterThan(0);
      expect(can('observer', action), name).toBe(false);
    }
  });

  it('allows nothing privileged before admission', () => {
    // Joining and leaving, plus the self-test's network check, which touches no session state.
    expect([...allowedBeforeAdmission].sort()).toEqual([
      'net:ping',
      'probe:connect',
      'probe:produce',
      'probe:result',
      'probe:start',
      'session:join',
      'session:leave',
    ]);
    for (const name of allowedBeforeAdmission) expect(requiredAction[name]).toBeUndefined();
  });
});
