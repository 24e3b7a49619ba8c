export { mediaCodecs } from './mediaCodecs.js';
export { Room, type TransportDirection } from './Room.js';
export { WorkerPool, type WorkerPoolOptions, type WorkerSlot, type WorkerUsage } from './WorkerPool.js';
