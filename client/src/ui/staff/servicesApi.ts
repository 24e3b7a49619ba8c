/** The staff page's public-service views (issue 12): the shapes the REST API answers, and error lines in the user's language. */

import type { Seat } from './SeatLink.js';
import { errorText, StaffApiError } from './staffApi.js';

export type VisitLinks = { officer: Seat; supervisedPerson: Seat; family: (Seat & { relationship: string })[] };
export type VisitFamily = { seatId: string; name: string; relationship: string; phone: string; approved: boolean };
export type Visit = {
  sessionId: string;
  title: string;
  scheduledAt: string;
  startBy: string;
  durationSeconds: number;
  endsAt?: string;
  status: string;
  family: VisitFamily[];
};

export const bookingStatuses = ['booked', 'cancelled', 'completed', 'no_show'] as const;
export type Booking = { code: string; slotId: string; name: string; phone: string; status: (typeof bookingStatuses)[number] };
export type ConsultationSlot = {
  id: string;
  lawyerName: string;
  siteId?: string;
  online: boolean;
  startsAt: string;
  durationMinutes: number;
  capacity: number;
  placesLeft: number;
  bookings: Booking[];
};
/** What POST /slots/:id/start answers: one room per booking, the lawyer's link to each. */
export type StartedConsultation = { code: string; sessionId: string; lawyerUrl: string };

export type WorkOrder = {
  id: string;
  externalRef: string;
  caller: { name: string; phone: string };
  category: string;
  summary: string;
  status: 'new' | 'case' | 'booking' | 'answered';
  resultRef?: string;
  createdAt: string;
};
export type LegalAidApplication = {
  code: string;
  applicant: { name: string; phone: string };
  matter: string;
  incomeBand: string;
  status: 'submitted' | 'accepted' | 'rejected';
  reason?: string;
  createdAt: string;
};

type T = (key: string, options?: Record<string, unknown>) => string;

/** The error line for a failed call: this area's own wording for its codes first, then the back office's. */
export function serviceErrorText(t: T, err: unknown): string {
  const code = err instanceof StaffApiError ? err.code : 'INTERNAL';
  return t(`staffServices.errors.${code}`, { defaultValue: errorText(t, err) });
}

/** A datetime-local value has no zone: the centres work on Beijing time, whatever the browser's zone. */
export function fromBeijingLocal(value: string): string {
  return new Date(`${value}:00+08:00`).toISOString();
}

/** 'YYYY-MM-DDTHH:mm' in Beijing time, as a datetime-local input takes it. */
export function toBeijingLocal(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
}
