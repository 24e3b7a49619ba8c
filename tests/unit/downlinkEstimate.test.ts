import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DownlinkEstimate } from '../../server/media/DownlinkEstimate.js';

/** Just enough of a mediasoup WebRtcTransport: its stats (with or without an estimate yet) and its close. */
function fakeTransport(id: string, bitrate: () => number | undefined) {
  const observer = new EventEmitter();
  const transport = {
    id,
    closed: false,
    observer,
    getStats: async () => [{ availableOutgoingBitrate: bitrate() }],
  };
  return { transport: transport as unknown as types.WebRtcTransport, close: () => observer.emit('close') };
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
    estimate.watch('village', a.transport);
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
  });
});
