import { maskPii } from '../log/index.js';
import type { Party } from './schemas.js';

/** 110101199001011234 → **************1234: the last 4 tell two parties apart for staff on the phone. */
export function maskIdNumber(id: string): string {
  return '*'.repeat(Math.max(id.length - 4, 0)) + id.slice(-4);
}

/** 13812345678 → 138****5678, the way Chinese services show phone numbers. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

export function maskParty(party: Party): Party {
  return { ...party, phone: maskPhone(party.phone), idNumber: maskIdNumber(party.idNumber) };
}

export const maskName = maskPii;
