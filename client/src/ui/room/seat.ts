import type { Participant, SessionSummary } from '../../../../signaling/index.js';

/**
 * Fields the session core v2 adds to the snapshot. They are read when present
 * so the room shows them as soon as the server sends them.
 */
type SeatExtras = { side?: 'applicant' | 'respondent'; location?: string };
type SessionExtras = { caseNumber?: string; startedAt?: string; helpContact?: string };

/** 申请人/被申请人: which side of the dispute a party sits on, when the seat has one. */
export function sideOf(participant: Participant): 'applicant' | 'respondent' | undefined {
  const side = (participant as Participant & SeatExtras).side;
  return side === 'applicant' || side === 'respondent' ? side : undefined;
}

export function sessionExtras(session: SessionSummary | undefined): SessionExtras {
  return (session ?? {}) as SessionExtras;
}

/** Where a seat is now (the joint room or a caucus, 背对背调解), when the server says. */
export function locationOf(participant: Participant | undefined): string | undefined {
  const location = (participant as (Participant & SeatExtras) | undefined)?.location;
  return typeof location === 'string' && location.length > 0 ? location : undefined;
}
