import { randomBytes } from 'node:crypto';

/** Opaque record ids: 16 url-safe characters, never derived from user input. */
export function recordId(): string {
  return randomBytes(12).toString('base64url');
}
