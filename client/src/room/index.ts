export { LayerGovernor } from './LayerGovernor.js';
export type { RemoteMedia } from './MediaSession.js';
export { type ChatMessage, RoomClient, type RoomClientOptions, type RoomPhase, type RoomSnapshot } from './RoomClient.js';
export { RoomError } from './Signaling.js';
export type { ConsumerStats } from './StatsMonitor.js';
export { type Advice, type SelfTestInput, selfTestVerdict, toSelfTest } from './selfTest.js';
export { type InboundSummary, type Quality, qualityBetween, summarizeInbound } from './stats.js';
