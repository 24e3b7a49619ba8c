import type { NewConsumer } from '../../signaling/index.js';
import { opusParameters, vp8SimulcastParameters } from './rtpParameters.js';
import { type ClientSocket, must, request } from './signaling.js';

let nextSsrc = 90_000;

/** Publishes a mic and a camera from browser-shaped parameters; returns the producer ids. */
export async function publish(socket: ClientSocket): Promise<{ mic: string; camera: string }> {
  const send = must(await request(socket, 'media:createTransport', { direction: 'send' }));
  nextSsrc += 100;
  const mic = must(
    await request(socket, 'media:produce', { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: opusParameters(nextSsrc) }),
  );
  const camera = must(
    await request(socket, 'media:produce', {
      transportId: send.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: vp8SimulcastParameters(nextSsrc + 10),
    }),
  );
  return { mic: mic.producerId, camera: camera.producerId };
}

/**
 * A receiving client as a browser keeps it: every offered consumer (acked at
 * once) until the server closes it. `live` is what it receives right now.
 */
export async function receive(socket: ClientSocket): Promise<{ offers: NewConsumer[]; live: () => NewConsumer[] }> {
  const offers: NewConsumer[] = [];
  const closed = new Set<string>();
  socket.off('consumer:new');
  socket.on('consumer:new', (offer, ack) => {
    offers.push(offer);
    ack({ ok: true });
  });
  socket.on('consumer:closed', ({ consumerId }) => closed.add(consumerId));
  must(await request(socket, 'media:createTransport', { direction: 'recv' }));
  const caps = must(await request(socket, 'media:capabilities', {}));
  must(await request(socket, 'media:ready', { rtpCapabilities: caps.rtpCapabilities }));
  return { offers, live: () => offers.filter((o) => !closed.has(o.consumerId)) };
}

/** The seats whose media a receiver gets right now, sorted, one entry per seat. */
export function sendersOf(consumers: NewConsumer[]): string[] {
  return [...new Set(consumers.map((o) => o.seatId))].sort();
}
