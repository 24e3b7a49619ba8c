import type { Device, types } from 'mediasoup-client';
import type { RequestOf } from '../../../signaling/index.js';
import { bridgeTransport } from './bridgeTransport.js';
import type { Signaling } from './Signaling.js';
import { median } from './selfTest.js';

const pings = 5;
const probeTimeoutMs = 6000;
const probePollMs = 200;

/** Round trip to the server over the signalling socket: the median of a few pings. */
export async function measureRtt(signaling: Signaling): Promise<number | undefined> {
  const samples: number[] = [];
  for (let i = 0; i < pings; i++) {
    const started = performance.now();
    await signaling.request('net:ping', {});
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/**
 * Sends a moment of silence to a throw-away transport on the SFU's real ports
 * and asks which protocol ICE settled on: 'udp', 'tcp' (UDP is blocked), or
 * null (nothing got through). Loads the Device as a side effect, which the
 * session then reuses.
 */
export async function probeTransport(signaling: Signaling, device: Device): Promise<'udp' | 'tcp' | null> {
  const { rtpCapabilities, transport: options } = await signaling.request('probe:start', {});
  if (!device.loaded) await device.load({ routerRtpCapabilities: rtpCapabilities as types.RtpCapabilities });
  const transport = device.createSendTransport(options as unknown as types.TransportOptions);
  bridgeTransport(transport, {
    connect: (dtlsParameters) =>
      signaling.request('probe:connect', { dtlsParameters: dtlsParameters as RequestOf<'probe:connect'>['dtlsParameters'] }),
    produce: async ({ kind, rtpParameters }) =>
      (await signaling.request('probe:produce', { kind, rtpParameters: rtpParameters as RequestOf<'probe:produce'>['rtpParameters'] }))
        .producerId,
  });

  const audio = new AudioContext();
  const silence = audio.createMediaStreamDestination();
  const oscillator = audio.createOscillator();
  const mute = audio.createGain();
  mute.gain.value = 0;
  oscillator.connect(mute).connect(silence);
  oscillator.start();
  try {
    const track = silence.stream.getAudioTracks()[0];
    if (!track) return null;
    await transport.produce({ track, stopTracks: true });
    const deadline = performance.now() + probeTimeoutMs;
    while (performance.now() < deadline) {
      const { protocol } = await signaling.request('probe:result', {});
      if (protocol) return protocol;
      await new Promise((resolve) => setTimeout(resolve, probePollMs));
    }
    return null;
  } finally {
    transport.close();
    oscillator.stop();
    void audio.close();
  }
}
