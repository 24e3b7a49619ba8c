export type { RemoteMedia } from './MediaSession.js';
export { RoomClient, type RoomClientOptions, type RoomPhase, type RoomSnapshot } from './RoomClient.js';
export { RoomError } from './Signaling.js';
export { type InboundSummary, type Quality, qualityBetween, summarizeInbound } from './stats.js';
