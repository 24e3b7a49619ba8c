import { type ReactNode, useEffect, useRef, useState } from 'react';
import { type InboundSummary, type Quality, qualityBetween, type RoomClient, summarizeInbound } from '../room/index.js';

type Props = {
  client: RoomClient;
  name: string;
  roleLabel: string;
  tracks: MediaStreamTrack[];
  /** Our own preview: never play it back to ourselves. */
  local?: boolean;
  videoConsumerId?: string | undefined;
  audioConsumerId?: string | undefined;
  speaking?: boolean;
  /** The sender's mic is paused (by them or by the host). */
  micOff?: boolean;
  /** Host-only actions for this person, rendered under the video. */
  children?: ReactNode;
};

const statsIntervalMs = 1000;

/** One person's video. Inbound stats are sampled once a second and exposed as data attributes for scripts and tests. */
export function VideoTile({ client, name, roleLabel, tracks, local, videoConsumerId, audioConsumerId, speaking, micOff, children }: Props) {
  const video = useRef<HTMLVideoElement>(null);
  const [stats, setStats] = useState<{ video?: InboundSummary; audio?: InboundSummary; quality: Quality }>({ quality: 'good' });

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    element.srcObject = tracks.length > 0 ? new MediaStream(tracks) : null;
    void element.play().catch(() => undefined);
  }, [tracks]);

  useEffect(() => {
    if (local) return;
    let previous: InboundSummary | undefined;
    const timer = setInterval(async () => {
      const [v, a] = await Promise.all([
        videoConsumerId ? client.consumerStats(videoConsumerId) : undefined,
        audioConsumerId ? client.consumerStats(audioConsumerId) : undefined,
      ]);
      const videoSummary = v ? summarizeInbound(v) : undefined;
      const audioSummary = a ? summarizeInbound(a) : undefined;
      const combined = videoSummary ?? audioSummary;
      const quality = combined ? qualityBetween(previous, combined) : 'good';
      previous = combined;
      setStats({ video: videoSummary, audio: audioSummary, quality });
    }, statsIntervalMs);
    return () => clearInterval(timer);
  }, [client, local, videoConsumerId, audioConsumerId]);

  return (
    <figure
      className={`tile${speaking ? ' speaking' : ''}`}
      data-testid="video-tile"
      data-name={name}
      data-local={local ? 'true' : 'false'}
      data-frames-decoded={stats.video?.framesDecoded ?? 0}
      data-video-bytes={stats.video?.bytesReceived ?? 0}
      data-audio-bytes={stats.audio?.bytesReceived ?? 0}
      data-quality={stats.quality}
      data-consumer-id={videoConsumerId ?? ''}
      data-speaking={speaking ? 'true' : 'false'}
      data-mic={micOff ? 'off' : 'on'}
    >
      <video ref={video} autoPlay playsInline muted={local} />
      <figcaption>
        {name} · {roleLabel}
        {micOff ? ' · 🔇' : ''}
      </figcaption>
      {children}
    </figure>
  );
}
