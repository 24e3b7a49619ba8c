/**
 * Where bench/sfu-capacity's consumer endpoints send: two kinds of sink that count RTP.
 *   - loopback: Node UDP sockets on 127.0.0.1. The kernel runs each receiver's
 *     path (IP and UDP receive, the socket queue, waking the sink) inside the
 *     worker's sendto, so the worker is charged for its viewers' receive work.
 *   - tun: addresses routed out of a TUN device read by a counter on the
 *     harness core (bench/sfu-capacity-tun-sink.py). The worker pays what it
 *     pays towards a network card: IP output, the device queue and waking the
 *     reader; the receive side runs elsewhere, as on a real network.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { udpReceiveBufferDrops } from './sfu-capacity-probe.js';
import { UdpSink } from './sfu-capacity-rtp.js';

export type SinkKind = 'loopback' | 'tun';

export interface PacketSink {
  readonly kind: SinkKind;
  /** The address the consumers' transports listen on: a loopback source may not leave by a device. */
  readonly listenIp: string;
  /** The address and port one consumer endpoint sends to. */
  target(endpoint: number): { ip: string; port: number };
  /** RTP packets counted so far. */
  rtp(): Promise<number>;
  /** Packets the kernel dropped on the way to this sink so far (full socket buffers, or the device queue). */
  drops(): number;
  /** The sink's own process, to pin and count with the harness; undefined when it is this process. */
  readonly pid: number | undefined;
  close(): void;
}

const loopbackSinkCount = 8;

export class LoopbackSink implements PacketSink {
  readonly kind = 'loopback';
  readonly listenIp = '127.0.0.1';
  readonly pid = undefined;
  constructor(private readonly sockets: UdpSink[]) {}

  static async open(bufferBytes: number): Promise<LoopbackSink> {
    return new LoopbackSink(await Promise.all(Array.from({ length: loopbackSinkCount }, () => UdpSink.open(bufferBytes))));
  }

  target(endpoint: number): { ip: string; port: number } {
    return { ip: '127.0.0.1', port: (this.sockets[endpoint % this.sockets.length] as UdpSink).port };
  }

  async rtp(): Promise<number> {
    return this.sockets.reduce((sum, s) => sum + s.rtp, 0);
  }

  drops(): number {
    return udpReceiveBufferDrops();
  }

  close(): void {
    for (const socket of this.sockets) socket.close();
  }
}

const tunName = 'clsink0';
/** RFC 2544's benchmarking range: never anyone's real network. The device holds .0.1; endpoints send to 198.18.1.0/24. */
const tunAddress = '198.18.0.1';
const tunPrefix = 15;
const tunSinkScript = fileURLToPath(new URL('./sfu-capacity-tun-sink.py', import.meta.url));

class TunSink implements PacketSink {
  readonly kind = 'tun';
  readonly listenIp = tunAddress;
  private readonly waiting: ((line: string) => void)[] = [];

  private constructor(
    private readonly child: ChildProcess,
    lines: Interface,
  ) {
    lines.on('line', (line) => this.waiting.shift()?.(line));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async open(): Promise<TunSink> {
    const child = spawn('python3', [tunSinkScript, tunName, `${tunAddress}/${tunPrefix}`], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> });
    const ready = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the TUN sink exited with ${code} (it needs root and /dev/net/tun)`)));
    });
    if (ready !== 'ready') throw new Error(`the TUN sink said ${ready}`);
    return new TunSink(child, lines);
  }

  target(endpoint: number): { ip: string; port: number } {
    return { ip: '198.18.1.1', port: 10_000 + endpoint };
  }

  rtp(): Promise<number> {
    return new Promise((resolve) => {
      this.waiting.push((line) => resolve(Number(line.split(' ')[0])));
      this.child.stdin?.write('count\n');
    });
  }

  drops(): number {
    return Number(readFileSync(`/sys/class/net/${tunName}/statistics/tx_dropped`, 'utf8'));
  }

  close(): void {
    this.child.stdin?.end();
    this.child.kill();
  }
}

export function openSink(kind: SinkKind, bufferBytes: number): Promise<PacketSink> {
  return kind === 'tun' ? TunSink.open() : LoopbackSink.open(bufferBytes);
}
