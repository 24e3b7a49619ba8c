export { LiveSession, type LiveSessionDeps } from './LiveSession.js';
export type { PeerChannel } from './PeerChannel.js';
export { SessionDirectory } from './SessionDirectory.js';
export { type SeatRecord, type SessionRecord, SessionStore } from './SessionStore.js';
