import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DownlinkEstimate } from '../../server/media/DownlinkEstimate.js';

/** Just enough of a mediasoup WebRtcTransport: its stats (with or without an estimate yet) and its close. */
function fakeTransport(id: string, bitrate: () => number | undefined) {
  const observer = new EventEmitter();
  const caps: number[] = [];
  const transport = {
    id,
    closed: false,
    observer,
    getStats: async () => [{ availableOutgoingBitrate: bitrate() }],
    setMaxOutgoingBitrate: async (bps: number) => {
      caps.push(bps);
    },
  };
  return { transport: transport as unknown as types.WebRtcTransport, caps, close: () => observer.emit('close') };
}

describe('SFU downlink estimate', () => {
  afterEach(() => vi.useRealTimers());

  it('reports each seat’s receive-transport estimate once a second, in kbit/s, and forgets closed transports', async () => {
    vi.useFakeTimers();
    const seen: [string, number][] = [];
    const estimate = new DownlinkEstimate((seatId, kbit) => seen.push([seatId, kbit]));
    let village: number | undefined;
    const a = fakeTransport('t1', () => village);
    const b = fakeTransport('t2', () => 1_250_400);
    estimate.watch('village', a.transport, () => false);
    estimate.watch('office', b.transport);

    await vi.advanceTimersByTimeAsync(1000);
    // No transport-cc feedback yet for the village: nothing said rather than a made-up zero.
    expect(seen).toEqual([['office', 1250]]);

    village = 31_000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.slice(1)).toEqual([
      ['village', 31],
      ['office', 1250],
    ]);

    a.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.slice(3)).toEqual([['office', 1250]]);
    estimate.close();
    await vi.advanceTimersByTimeAsync(3000);
    expect(seen).toHaveLength(4);
    expect([...a.caps, ...b.caps]).toEqual([]); // no video wanted, or a wide link: never probed
  });

  it('probes a thin downlink every three seconds by raising its cap, and lifts the cap once the estimate recovers', async () => {
    vi.useFakeTimers();
    const estimate = new DownlinkEstimate(() => undefined);
    let bps = 31_000;
    const village = fakeTransport('t1', () => bps);
    estimate.watch('village', village.transport, () => true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(village.caps).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    // Capped at the estimate, then raised: libwebrtc probes when its maximum rises.
    expect(village.caps).toEqual([31_000, 500_000]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(village.caps).toHaveLength(4);
    bps = 420_000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(village.caps.at(-1)).toBe(0); // no cap
    await vi.advanceTimersByTimeAsync(5000);
    expect(village.caps).toHaveLength(5);
    estimate.close();
  });
});
