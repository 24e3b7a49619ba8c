import type { types } from 'mediasoup';
import type { WorkerSlot } from './WorkerPool.js';

/**
 * How every WebRTC transport is made, sessions and the self-test's probe alike,
 * so the probe measures exactly the path a session will use: the worker's one
 * UDP and one TCP port, UDP first, TCP for village networks that block UDP.
 */
export function webRtcTransportOptions(slot: WorkerSlot, appData: Record<string, unknown> = {}): types.WebRtcTransportOptions {
  return {
    webRtcServer: slot.webRtcServer,
    enableUdp: true,
    enableTcp: true,
    preferUdp: true,
    initialAvailableOutgoingBitrate: 600_000,
    appData,
  };
}
