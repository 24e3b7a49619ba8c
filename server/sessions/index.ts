export { InviteLinks, LinkId, type LinkRecord } from './InviteLinks.js';
export { LiveSession, type LiveSessionDeps } from './LiveSession.js';
export type { PeerChannel } from './PeerChannel.js';
export { type NewSession, SessionDirectory } from './SessionDirectory.js';
export { type SeatRecord, type SessionRecord, SessionStore } from './SessionStore.js';
export { type VisitPlan, visitDeadlines } from './VisitControls.js';
