/**
 * Synthetic media for bench/sfu-capacity: RTP streams written from Node over
 * UDP, UDP sinks that count what arrives, and the producer parameters that
 * describe those streams to mediasoup.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { types } from 'mediasoup';

/** The payload types our synthetic senders use; the router maps them to its own. */
const opus = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 } as const;
const vp8 = { mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 } as const;

/** The load: VP8 ~430 kbit/s as 45 packets/s of 1,200 B; Opus ~50 kbit/s as 50 packets/s. */
export const videoPacketsPerSecond = 45;
export const audioPacketsPerSecond = 50;
const videoPacketBytes = 1200;
const audioPacketBytes = 125;
const videoFramesPerSecond = 15;
const packetsPerVideoFrame = videoPacketsPerSecond / videoFramesPerSecond;
const rtpHeaderBytes = 12;

export function producerParameters(kind: types.MediaKind, ssrc: number): types.RtpParameters {
  return { codecs: [{ ...(kind === 'audio' ? opus : vp8) }], encodings: [{ ssrc }] };
}

/** A codecs-only receive capability: no header extensions, so plain and SRTP consumers carry the same bytes. */
export function plainRtpCapabilities(router: types.Router): types.RtpCapabilities {
  return { codecs: router.rtpCapabilities.codecs, headerExtensions: [] };
}

/**
 * One sender: an Opus and a VP8 stream towards one port. Video is 15 frames/s of
 * 3 packets, a keyframe every second, so a consumer resumed at any time gets
 * a keyframe within a second (mediasoup forwards nothing before one).
 */
export class SyntheticSender {
  private videoSent = 0;
  private audioSent = 0;
  private readonly startedAt = performance.now();

  constructor(
    readonly audioSsrc: number,
    readonly videoSsrc: number,
    private readonly port: number,
  ) {}

  /** Sends what is due by now; returns how many packets went out. */
  pump(socket: Socket, now: number): number {
    const elapsed = (now - this.startedAt) / 1000;
    let sent = 0;
    for (const due = Math.floor(elapsed * audioPacketsPerSecond); this.audioSent < due; this.audioSent++, sent++) {
      socket.send(this.audioPacket(this.audioSent), this.port, '127.0.0.1');
    }
    for (const due = Math.floor(elapsed * videoPacketsPerSecond); this.videoSent < due; this.videoSent++, sent++) {
      socket.send(this.videoPacket(this.videoSent), this.port, '127.0.0.1');
    }
    return sent;
  }

  private audioPacket(n: number): Buffer {
    const packet = Buffer.alloc(audioPacketBytes, 0x5a);
    writeHeader(packet, opus.payloadType, n, n * 960, this.audioSsrc, true);
    return packet;
  }

  private videoPacket(n: number): Buffer {
    const frame = Math.floor(n / packetsPerVideoFrame);
    const inFrame = n % packetsPerVideoFrame;
    const packet = Buffer.alloc(videoPacketBytes, 0xa5);
    writeHeader(packet, vp8.payloadType, n, frame * (90000 / videoFramesPerSecond), this.videoSsrc, inFrame === packetsPerVideoFrame - 1);
    // VP8 payload descriptor (RFC 7741): X=1, S on a frame's first packet, I=1 with a 15-bit picture id.
    let at = rtpHeaderBytes;
    packet[at++] = 0x80 | (inFrame === 0 ? 0x10 : 0);
    packet[at++] = 0x80;
    packet[at++] = 0x80 | ((frame >> 8) & 0x7f);
    packet[at++] = frame & 0xff;
    // VP8 payload header: the P bit is 0 on keyframes.
    const keyframe = inFrame === 0 && frame % videoFramesPerSecond === 0;
    packet[at] = keyframe ? 0x10 : 0x11;
    return packet;
  }
}

function writeHeader(packet: Buffer, payloadType: number, seq: number, timestamp: number, ssrc: number, marker: boolean): void {
  packet[0] = 0x80;
  packet[1] = (marker ? 0x80 : 0) | payloadType;
  packet.writeUInt16BE(seq & 0xffff, 2);
  packet.writeUInt32BE(timestamp >>> 0, 4);
  packet.writeUInt32BE(ssrc >>> 0, 8);
}

/** RTCP carries its packet type (200-206) in the second byte, which SRTCP leaves clear; RTP has marker + payload type there. */
export function isRtcp(packet: Buffer): boolean {
  const type = packet[1] ?? 0;
  return type >= 200 && type <= 206;
}

/** A UDP socket that counts the RTP and RTCP packets it receives. */
export class UdpSink {
  rtp = 0;
  rtcp = 0;
  private constructor(
    readonly socket: Socket,
    readonly port: number,
  ) {
    socket.on('message', (packet) => {
      if (isRtcp(packet)) this.rtcp++;
      else this.rtp++;
    });
  }

  /** The kernel caps the buffer at net.core.rmem_max (bench/sfu-capacity raises it first). */
  static async open(recvBufferSize = 4 << 20): Promise<UdpSink> {
    const socket = createSocket({ type: 'udp4', recvBufferSize });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new UdpSink(socket, socket.address().port);
  }

  close(): void {
    this.socket.close();
  }
}
