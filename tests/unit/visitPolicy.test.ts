import { describe, expect, it } from 'vitest';
import { authorize, type PolicyState, type SeatActor } from '../../signaling/index.js';

const visit: PolicyState = { type: 'visit', status: 'live', locked: false, recordingForced: true };
const seat = (role: SeatActor['role'], extra: Partial<SeatActor> = {}): SeatActor => ({
  kind: 'seat',
  seatId: `seat-${role}`,
  role,
  state: 'admitted',
  host: role === 'correctional_officer',
  ...extra,
});
const target = { seatId: 'seat-x', role: 'family' as const, host: false, state: 'admitted' as const };

describe('the policy in a supervised visit', () => {
  it('refuses every action but leaving to a family member the officer has not approved', () => {
    const pending = seat('family', { approved: false, state: 'invited' });
    expect(authorize(pending, 'join', undefined, visit)).toMatchObject({ allowed: false, code: 'VISIT_FAMILY_UNAPPROVED' });
    expect(authorize(pending, 'leave', undefined, visit)).toEqual({ allowed: true });
    expect(authorize(seat('family', { approved: true, state: 'invited' }), 'join', undefined, visit)).toEqual({ allowed: true });
    // The approval flag means nothing outside visits.
    expect(authorize(pending, 'join', undefined, { ...visit, type: 'mediation' })).toEqual({ allowed: true });
  });

  it('keeps family and the supervised person out of chat until the officer allows it', () => {
    for (const role of ['family', 'supervised_person'] as const) {
      expect(authorize(seat(role), 'chat', undefined, visit)).toMatchObject({ allowed: false, code: 'VISIT_CHAT_OFF' });
      expect(authorize(seat(role), 'chat', undefined, { ...visit, chatAllowed: true })).toEqual({ allowed: true });
    }
    expect(authorize(seat('correctional_officer'), 'chat', undefined, visit)).toEqual({ allowed: true });
  });

  it('lets only the hosting officer allow chat and cut people', () => {
    expect(authorize(seat('correctional_officer'), 'allow_chat', undefined, visit)).toEqual({ allowed: true });
    expect(authorize(seat('family'), 'allow_chat', undefined, visit)).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(authorize(seat('correctional_officer'), 'allow_chat', undefined, { ...visit, type: 'mediation' })).toMatchObject({
      allowed: false,
    });
    expect(authorize(seat('correctional_officer'), 'remove', target, visit)).toEqual({ allowed: true });
    expect(authorize(seat('supervised_person'), 'remove', target, visit)).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(authorize(seat('family'), 'share_screen', undefined, visit)).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
  });
});
