import type { RequestOf } from '../../signaling/index.js';

type RtpParameters = RequestOf<'media:produce'>['rtpParameters'];

/** What a browser sends for an Opus mic, as plain data: enough for a real producer without a real browser. */
export function opusParameters(ssrc: number, cname = 'test'): RtpParameters {
  return {
    mid: '0',
    codecs: [
      {
        mimeType: 'audio/opus',
        payloadType: 111,
        clockRate: 48000,
        channels: 2,
        parameters: { minptime: 10, useinbandfec: 1 },
        rtcpFeedback: [{ type: 'transport-cc', parameter: '' }],
      },
    ],
    headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 }],
    encodings: [{ ssrc, dtx: false }],
    rtcp: { cname, reducedSize: true },
  };
}

/** A VP8 camera sending three simulcast layers, as Chromium describes it. */
export function vp8SimulcastParameters(firstSsrc: number, cname = 'test'): RtpParameters {
  return {
    mid: '1',
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: 96,
        clockRate: 90000,
        rtcpFeedback: [
          { type: 'nack', parameter: '' },
          { type: 'nack', parameter: 'pli' },
          { type: 'ccm', parameter: 'fir' },
          { type: 'goog-remb', parameter: '' },
          { type: 'transport-cc', parameter: '' },
        ],
      },
    ],
    headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 }],
    encodings: [0, 1, 2].map((i) => ({ ssrc: firstSsrc + i, scaleResolutionDownBy: 2 ** (2 - i), scalabilityMode: 'L1T3' })),
    rtcp: { cname, reducedSize: true },
  };
}
