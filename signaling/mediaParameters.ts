import { z } from 'zod';

/**
 * Shapes of the WebRTC parameters that cross the wire. They check structure
 * and bound sizes; mediasoup then checks semantics, and its TypeErrors are
 * reported as INVALID_PAYLOAD too. Objects are loose because browsers add
 * fields over time and mediasoup ignores what it does not know.
 */
const id = z.string().min(1).max(64);
const shortText = z.string().max(256);
const codecParameters = z.record(z.string().max(64), z.union([z.string().max(256), z.number()])).refine((r) => Object.keys(r).length <= 32);
const rtcpFeedback = z.array(z.looseObject({ type: z.string().max(32), parameter: z.string().max(32).optional() })).max(16);

export const MediaKind = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof MediaKind>;

/** What a producer carries, so receivers can lay tiles out and the host can mute the right thing. */
export const MediaSource = z.enum(['mic', 'camera', 'screen']);
export type MediaSource = z.infer<typeof MediaSource>;

export const RtpCodecParameters = z.looseObject({
  mimeType: z.string().regex(/^(audio|video)\/[\w.-]+$/),
  payloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().min(1).max(8).optional(),
  parameters: codecParameters.optional(),
  rtcpFeedback: rtcpFeedback.optional(),
});

export const RtpEncodingParameters = z.looseObject({
  ssrc: z.number().int().nonnegative().optional(),
  rid: z.string().max(32).optional(),
  codecPayloadType: z.number().int().min(0).max(127).optional(),
  rtx: z.looseObject({ ssrc: z.number().int().nonnegative() }).optional(),
  dtx: z.boolean().optional(),
  scalabilityMode: z.string().max(16).optional(),
  maxBitrate: z.number().positive().optional(),
  scaleResolutionDownBy: z.number().positive().optional(),
});

export const RtpParameters = z.looseObject({
  mid: z.string().max(32).optional(),
  codecs: z.array(RtpCodecParameters).min(1).max(16),
  headerExtensions: z
    .array(z.looseObject({ uri: shortText, id: z.number().int().min(1).max(255), encrypt: z.boolean().optional() }))
    .max(32)
    .optional(),
  encodings: z.array(RtpEncodingParameters).max(8).optional(),
  rtcp: z
    .looseObject({ cname: z.string().max(256).optional(), reducedSize: z.boolean().optional(), mux: z.boolean().optional() })
    .optional(),
});
export type RtpParameters = z.infer<typeof RtpParameters>;

export const RtpCapabilities = z.looseObject({
  codecs: z
    .array(
      z.looseObject({
        kind: MediaKind,
        mimeType: z.string().max(64),
        clockRate: z.number().int().positive(),
        preferredPayloadType: z.number().int().min(0).max(127).optional(),
        channels: z.number().int().min(1).max(8).optional(),
        parameters: codecParameters.optional(),
        rtcpFeedback: rtcpFeedback.optional(),
      }),
    )
    .max(64)
    .optional(),
  headerExtensions: z
    .array(z.looseObject({ uri: shortText, preferredId: z.number().int().min(1).max(255) }))
    .max(64)
    .optional(),
});
export type RtpCapabilities = z.infer<typeof RtpCapabilities>;

export const DtlsParameters = z.looseObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(z.object({ algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']), value: z.string().min(1).max(256) }))
    .min(1)
    .max(8),
});
export type DtlsParameters = z.infer<typeof DtlsParameters>;

export const IceParameters = z.looseObject({ usernameFragment: shortText, password: shortText, iceLite: z.boolean().optional() });
export const IceCandidate = z.looseObject({
  foundation: shortText,
  priority: z.number(),
  ip: shortText,
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int(),
  type: z.string(),
  tcpType: z.string().optional(),
});

export const TransportOptions = z.object({
  id,
  iceParameters: IceParameters,
  iceCandidates: z.array(IceCandidate),
  dtlsParameters: DtlsParameters,
});
export type TransportOptions = z.infer<typeof TransportOptions>;

export const Layers = z.object({
  spatialLayer: z.number().int().min(0).max(2),
  temporalLayer: z.number().int().min(0).max(2).optional(),
});
export type Layers = z.infer<typeof Layers>;
