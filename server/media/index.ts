export { type ConsumerAppData, MediaPeer, type ProducerAppData } from './MediaPeer.js';
export { mediaCodecs } from './mediaCodecs.js';
export { mediaCall } from './mediaErrors.js';
export { NetworkProbe } from './NetworkProbe.js';
export { Room, type TransportDirection } from './Room.js';
export { WorkerPool, type WorkerPoolOptions, type WorkerSlot, type WorkerUsage } from './WorkerPool.js';
