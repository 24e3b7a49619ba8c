import { boundUdpPorts } from './udpPorts.js';

export type PortPair = { rtp: number; rtcp: number };

/**
 * Hands out even/odd UDP port pairs for recorder ffmpeg processes from a range
 * of their own. ffmpeg always binds P and P+1, so a pair is the unit. A pair
 * is never given to two recorders at once; pairs found busy (in /proc/net/udp
 * or by a failed bind) are skipped for a while and the next one is tried.
 */
export class PortAllocator {
  private readonly inUse = new Set<number>();
  private readonly busyUntil = new Map<number, number>();
  private next: number;

  constructor(
    readonly minPort: number,
    readonly maxPort: number,
    private readonly busyForMs = 30_000,
  ) {
    if (!Number.isInteger(minPort) || !Number.isInteger(maxPort) || minPort < 1024 || maxPort > 65535 || maxPort - minPort < 1) {
      throw new Error(`recording port range ${minPort}-${maxPort} must hold at least one pair within 1024-65535`);
    }
    this.next = this.firstPair();
  }

  private firstPair(): number {
    return this.minPort % 2 === 0 ? this.minPort : this.minPort + 1;
  }

  get pairCount(): number {
    return Math.floor((this.maxPort - this.firstPair() + 1) / 2);
  }

  /** The next free pair, checked against the kernel's table; throws when the range is exhausted. */
  async acquire(): Promise<PortPair> {
    const bound = await boundUdpPorts();
    const now = Date.now();
    for (let tried = 0; tried < this.pairCount; tried++) {
      const rtp = this.next;
      this.next = rtp + 2 + 1 > this.maxPort ? this.firstPair() : rtp + 2;
      if (this.inUse.has(rtp)) continue;
      if ((this.busyUntil.get(rtp) ?? 0) > now) continue;
      if (bound.has(rtp) || bound.has(rtp + 1)) continue;
      this.inUse.add(rtp);
      return { rtp, rtcp: rtp + 1 };
    }
    throw new Error(`no free recording port pair in ${this.minPort}-${this.maxPort}`);
  }

  release(pair: PortPair): void {
    this.inUse.delete(pair.rtp);
  }

  /** ffmpeg could not bind this pair: give it back but skip it for a while. */
  markBusy(pair: PortPair): void {
    this.inUse.delete(pair.rtp);
    this.busyUntil.set(pair.rtp, Date.now() + this.busyForMs);
  }

  get allocated(): number {
    return this.inUse.size;
  }
}
