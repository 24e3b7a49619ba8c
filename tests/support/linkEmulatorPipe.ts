/**
 * One direction of an emulated weak link, as a village's uplink or downlink
 * behaves: packets are dropped by a firewall (UDP blocked) or at random (loss),
 * queue behind a rate cap in a bounded drop-tail buffer (a cheap router), then
 * arrive after a fixed delay plus jitter. Packets never overtake each other:
 * jitter stretches the gaps, as on a real serial link.
 *
 * Pure logic: the clock, randomness and timers are passed in, so the unit tests
 * drive it without sockets and the emulator process drives it with real packets.
 */

export type Impairment = {
  /** One-way delay; a 150 ms round trip is 75 each way. */
  delayMs?: number;
  /** Each packet gets an extra uniform 0..jitterMs, never reordering. */
  jitterMs?: number;
  lossPercent?: number;
  /** Bottleneck rate; unset means unlimited. */
  rateKbit?: number;
  /** Drop-tail buffer in front of the rate cap, in milliseconds of the rate (default 250). */
  queueMs?: number;
  /** Drops every UDP packet, as a strict firewall does. */
  blockUdp?: boolean;
};

export type PipeStats = {
  received: number;
  delivered: number;
  bytesDelivered: number;
  droppedLoss: number;
  droppedQueue: number;
  droppedBlocked: number;
};

export type PipeClock = {
  now(): number;
  random(): number;
  /** Calls fn after ms; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
};

export const realClock: PipeClock = {
  now: () => performance.now(),
  random: Math.random,
  after(ms, fn) {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

const ipProtoUdp = 17;

/** The transport protocol of an IPv4 or IPv6 packet (no extension headers: WebRTC does not use them). */
export function ipProtocol(packet: Uint8Array): number | undefined {
  const version = (packet[0] ?? 0) >> 4;
  if (version === 4) return packet[9];
  if (version === 6) return packet[6];
  return undefined;
}

/** The rate cap in bytes per millisecond; undefined when the link is unlimited. */
function bytesPerMsOf({ rateKbit }: Impairment): number | undefined {
  return rateKbit ? rateKbit / 8 : undefined;
}

export type ImpairedPipe = {
  push(packet: Uint8Array): void;
  set(impairment: Impairment): void;
  stats(): PipeStats;
  close(): void;
};

export function createImpairedPipe(deliver: (packet: Uint8Array) => void, clock: PipeClock = realClock): ImpairedPipe {
  let impairment: Impairment = {};
  const stats: PipeStats = { received: 0, delivered: 0, bytesDelivered: 0, droppedLoss: 0, droppedQueue: 0, droppedBlocked: 0 };
  // When the bottleneck finishes sending what is queued; the backlog is linkFreeAt - now.
  let linkFreeAt = 0;
  let lastArrival = 0;
  // Each packet keeps when it leaves the bottleneck (departure) and its own jitter, so a rate change can re-serve
  // the packets still queued at the new rate, as a real router's queue drains at whatever rate the link has now.
  const inFlight: { at: number; departure: number; jitter: number; packet: Uint8Array }[] = [];
  let cancel: (() => void) | undefined;

  const drain = () => {
    cancel = undefined;
    const now = clock.now();
    while (inFlight.length > 0 && (inFlight[0]?.at ?? 0) <= now + 0.5) {
      const head = inFlight.shift() as { packet: Uint8Array };
      stats.delivered += 1;
      stats.bytesDelivered += head.packet.length;
      deliver(head.packet);
    }
    arm();
  };
  const arm = () => {
    if (cancel || inFlight.length === 0) return;
    cancel = clock.after((inFlight[0]?.at ?? 0) - clock.now(), drain);
  };

  // Packets still in the bottleneck (departure in the future) leave at the new rate, and then take the new delay:
  // without this, a link raised from 30 kbit/s kept serving its old backlog at 30 kbit/s for up to a second.
  const requeue = (oldBytesPerMs: number | undefined) => {
    const now = clock.now();
    const first = inFlight.findIndex((entry) => entry.departure > now);
    if (first < 0) return;
    const { delayMs = 0 } = impairment;
    const bytesPerMs = bytesPerMsOf(impairment);
    let free = now;
    let previousAt = inFlight[first - 1]?.at ?? 0;
    for (const [i, entry] of inFlight.slice(first).entries()) {
      // The packet on the wire (the first queued) has part of itself sent already: what is left of it at the old rate.
      const left = i === 0 && oldBytesPerMs ? (entry.departure - now) * oldBytesPerMs : entry.packet.length;
      const bytes = Math.min(entry.packet.length, Math.max(0, left));
      entry.departure = bytesPerMs ? free + bytes / bytesPerMs : free;
      free = entry.departure;
      entry.at = Math.max(entry.departure + delayMs + entry.jitter, previousAt);
      previousAt = entry.at;
    }
    linkFreeAt = free;
    lastArrival = previousAt;
    cancel?.();
    cancel = undefined;
    if ((inFlight[0]?.at ?? 0) <= now + 0.5) drain();
    else arm();
  };

  return {
    push(packet) {
      stats.received += 1;
      const { delayMs = 0, jitterMs = 0, lossPercent = 0, queueMs = 250, blockUdp = false } = impairment;
      if (blockUdp && ipProtocol(packet) === ipProtoUdp) {
        stats.droppedBlocked += 1;
        return;
      }
      if (lossPercent > 0 && clock.random() * 100 < lossPercent) {
        stats.droppedLoss += 1;
        return;
      }
      const now = clock.now();
      let departure = now;
      const bytesPerMs = bytesPerMsOf(impairment);
      if (bytesPerMs) {
        const backlogMs = Math.max(0, linkFreeAt - now);
        // At least three full-size packets fit, or a slow link could carry nothing.
        const limitBytes = Math.max(bytesPerMs * queueMs, 3 * 1500);
        if (backlogMs * bytesPerMs + packet.length > limitBytes) {
          stats.droppedQueue += 1;
          return;
        }
        departure = Math.max(now, linkFreeAt) + packet.length / bytesPerMs;
        linkFreeAt = departure;
      }
      const jitter = clock.random() * jitterMs;
      const arrival = Math.max(departure + delayMs + jitter, lastArrival);
      lastArrival = arrival;
      inFlight.push({ at: arrival, departure, jitter, packet });
      if (arrival <= now + 0.5 && inFlight.length === 1) drain();
      else arm();
    },
    set(next) {
      const oldBytesPerMs = bytesPerMsOf(impairment);
      impairment = { ...next };
      requeue(oldBytesPerMs);
    },
    stats: () => ({ ...stats }),
    close() {
      cancel?.();
      inFlight.length = 0;
    },
  };
}
