import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsumerStats } from '../../room/index.js';
import { HandIcon, MicOffIcon } from './icons.js';

type Props = {
  name: string;
  roleLabel: string;
  tracks: MediaStreamTrack[];
  /** Picture is flowing. False for camera off, audio only, or a host-stopped camera: show the placeholder, never a frozen frame. */
  videoOn: boolean;
  /** Our own tile: never play our own sound back. */
  local?: boolean;
  speaking: boolean;
  micOff: boolean;
  handRaised?: boolean;
  host?: boolean;
  /** 申请人/被申请人, already translated. */
  sideLabel?: string | undefined;
  video?: { consumerId: string; stats: ConsumerStats | undefined; layer: number | undefined } | undefined;
  audio?: { stats: ConsumerStats | undefined } | undefined;
  kind?: 'camera' | 'screen';
};

/**
 * One person's video with name, role, mute state and connection quality.
 * Inbound figures are exposed as data attributes so scripts and tests can
 * read what the browser actually decoded.
 */
export function VideoTile(props: Props) {
  const { name, roleLabel, tracks, videoOn, local, speaking, micOff, handRaised, host, sideLabel, video, audio } = props;
  const kind = props.kind ?? 'camera';
  const { t } = useTranslation();
  const element = useRef<HTMLVideoElement>(null);
  const trackKey = tracks.map((track) => track.id).join(',');

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-attach only when the set of tracks changes.
  useEffect(() => {
    const video = element.current;
    if (!video) return;
    video.srcObject = tracks.length > 0 ? new MediaStream(tracks) : null;
    void video.play().catch(() => undefined);
    // Let go of the tracks when the tile goes; see Preview for what a lingering element costs.
    return () => {
      video.srcObject = null;
    };
  }, [trackKey]);

  const quality = video?.stats?.quality ?? audio?.stats?.quality ?? 'good';
  return (
    <figure
      className={`tile${speaking ? ' speaking' : ''}${kind === 'screen' ? ' screen' : ''}${videoOn ? '' : ' video-off'}`}
      data-testid={kind === 'screen' ? 'screen-tile' : 'video-tile'}
      data-name={name}
      data-local={local ? 'true' : 'false'}
      data-speaking={speaking ? 'true' : 'false'}
      data-mic={micOff ? 'off' : 'on'}
      data-video={videoOn ? 'on' : 'off'}
      data-hand={handRaised ? 'raised' : 'down'}
      data-quality={quality}
      data-consumer-id={video?.consumerId ?? ''}
      data-layer={video?.layer ?? ''}
      data-frames-decoded={video?.stats?.framesDecoded ?? 0}
      data-video-bytes={video?.stats?.bytesReceived ?? 0}
      data-audio-bytes={audio?.stats?.bytesReceived ?? 0}
    >
      {/* The element stays even with the camera off: it also plays the person's sound. */}
      <video ref={element} autoPlay playsInline muted={local} />
      {!videoOn && (
        <div className="placeholder" data-testid="camera-off-placeholder">
          <span className="avatar" aria-hidden="true">
            {Array.from(name)[0] ?? ''}
          </span>
          <span className="placeholder-name">{name}</span>
        </div>
      )}
      <figcaption>
        <span className="name">{name}</span>
        {host && (
          <span className="host-badge" data-testid="host-badge">
            {t('room.hostBadge')}
          </span>
        )}
        {sideLabel && (
          <span className="side-badge" data-testid="side-badge">
            {sideLabel}
          </span>
        )}
        <span className="role">{roleLabel}</span>
        {micOff && <MicOffIcon label={t('room.muted')} />}
        {handRaised && <HandIcon label={t('room.handRaised')} />}
        {!local && (
          <span className={`quality quality-${quality}`} data-testid="quality" title={t(`room.quality.${quality}`)}>
            <span className="visually-hidden">{t(`room.quality.${quality}`)}</span>
          </span>
        )}
      </figcaption>
    </figure>
  );
}
