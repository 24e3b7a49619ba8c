/**
 * What a camera sends, shared by the client (MediaSession's simulcast encodings, the uplink governor and the
 * downlink guard) and the server (the SFU's thin-link mark in DownlinkEstimate): one table, not copies.
 * No zod here: the invite page's first script must not carry the contract's schemas.
 *
 * The lowest layer is sized for a 100 kbit/s village link (bench S3): 320x180 at 20 fps and at most
 * 50 kbit/s. The earlier 150 kbit/s layer never fitted; at 70 kbit/s (tried) the SFU's estimate of the
 * village downlink fell to its 30 kbit/s floor and the layer went on and off; at 50 it held 36–64 kbit/s
 * and the village saw 9–16 fps. Opus at 16 kbit/s with its packet headers takes the rest of the link.
 * 640x360 and 1280x720 are unchanged, so a desktop on a clean link still sees the top layer.
 */
export type CameraLayer = {
  /** Of the 1280x720 capture: 4 → 320x180. */
  scaleDownBy: number;
  maxKbit: number;
  /** Undefined: the camera's own rate. */
  maxFps?: number;
};

export const cameraLayers: readonly CameraLayer[] = [
  // 20 fps, not fewer: its base temporal layer (what a held-back video shows, DownlinkGuard) then runs at 5 fps,
  // enough frames a second to tell a link that carries it from one that does not.
  { scaleDownBy: 4, maxKbit: 50, maxFps: 20 },
  { scaleDownBy: 2, maxKbit: 500 },
  { scaleDownBy: 1, maxKbit: 1200 },
];

/** Each camera layer's cap, lowest first (kbit/s). */
export const cameraLayerKbit: readonly number[] = cameraLayers.map((l) => l.maxKbit);

/** Opus: normally, and when the uplink is poor (speech keeps its room). */
export const opusKbit = { normal: 32, poor: 16 } as const;

/** Packet and header overhead on top of the media bitrates. */
export const packetOverhead = 1.15;

/** The first `layers` camera layers and the sound, with overhead (kbit/s). */
export function videoNeedKbit(layers: number, layerKbit: readonly number[] = cameraLayerKbit): number {
  return (layerKbit.slice(0, layers).reduce((a, b) => a + b, 0) + opusKbit.normal) * packetOverhead;
}

/** The lowest layer and the sound: below this a link carries no video (guard's resume mark, the SFU's thin mark). */
export const lowestVideoKbit = Math.round(videoNeedKbit(1));

/** Frames per second of the lowest layer's base temporal layer (0:0 of L1T3), what a held-back video shows. */
export const lowestBaseFps = (cameraLayers[0]?.maxFps ?? 30) / 4;
