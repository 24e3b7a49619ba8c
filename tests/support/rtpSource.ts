import { type ChildProcess, spawn } from 'node:child_process';
import type { types } from 'mediasoup';

export type RtpSource = { producer: types.Producer; transport: types.PlainTransport; ffmpeg: ChildProcess; stop(): Promise<void> };

let nextSsrc = 11_110_000;

/** Sources still running; killed if this process exits early (a failed test or bench), so no encoder outlives it. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * A real producer fed by ffmpeg: testsrc video as VP8 or a sine as Opus, sent
 * over RTP into a comedia PlainTransport. It ignores PLI, so a recorder waits
 * up to one GOP (1 s here) for a keyframe.
 */
export async function startRtpSource(
  router: types.Router,
  kind: 'audio' | 'video',
  options: { size?: string; fps?: number; frequency?: number; bitrate?: string } = {},
): Promise<RtpSource> {
  const transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: false, comedia: true });
  const ssrc = nextSsrc++;
  const codec =
    kind === 'video'
      ? { mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }
      : { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 };
  const producer = await transport.produce({ kind, rtpParameters: { codecs: [codec], encodings: [{ ssrc }] } });
  // ffmpeg sends RTP and RTCP from two sockets; with one muxed port, comedia would lock onto whichever came first.
  const port = transport.tuple.localPort;
  const rtcpPort = transport.rtcpTuple?.localPort ?? port + 1;
  const fps = options.fps ?? 30;
  const input =
    kind === 'video'
      ? [
          '-f',
          'lavfi',
          '-i',
          `testsrc=size=${options.size ?? '320x240'}:rate=${fps}`,
          '-c:v',
          'libvpx',
          '-deadline',
          'realtime',
          '-cpu-used',
          '8',
        ]
      : ['-f', 'lavfi', '-i', `sine=frequency=${options.frequency ?? 440}:sample_rate=48000`, '-c:a', 'libopus', '-ac', '2', '-b:a', '64k'];
  const gop = kind === 'video' ? ['-b:v', options.bitrate ?? '400k', '-g', String(fps), '-keyint_min', String(fps)] : [];
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    ...input,
    ...gop,
    '-ssrc',
    String(ssrc),
    '-payload_type',
    String(codec.payloadType),
  ];
  args.push('-f', 'rtp', `rtp://127.0.0.1:${port}?rtcpport=${rtcpPort}&pkt_size=1200`);
  const ffmpeg = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  live.add(ffmpeg);
  ffmpeg.once('close', () => live.delete(ffmpeg));
  return {
    producer,
    transport,
    ffmpeg,
    async stop() {
      if (ffmpeg.exitCode === null && ffmpeg.signalCode === null) {
        const exited = new Promise((resolve) => ffmpeg.once('close', resolve));
        ffmpeg.kill('SIGKILL');
        await exited;
      }
      transport.close();
    },
  };
}
