import { type ReactNode, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Participant } from '../../../../signaling/index.js';
import type { RemoteMedia, RoomSnapshot } from '../../room/index.js';
import { galleryLayout } from './layout.js';
import { sideOf } from './seat.js';
import { useElementSize } from './useElementSize.js';
import { VideoTile } from './VideoTile.js';

/** The gallery shows up to 12 people; the rest are in the participant list. */
export const maxTiles = 12;
const gap = 6;

function media(room: RoomSnapshot, seatId: string, kind: 'audio' | 'video', source: 'camera' | 'screen' | 'mic'): RemoteMedia | undefined {
  return room.remote.find((r) => r.seatId === seatId && r.kind === kind && r.source === source);
}

/**
 * Where the people are: a gallery that fills the stage, or a speaker view with
 * a filmstrip. A shared screen always takes the main stage, as in 腾讯会议 and
 * HMCTS Video Hearings, because it is what everyone needs to read.
 */
export function Stage({ room, view }: { room: RoomSnapshot; view: 'gallery' | 'speaker' }) {
  const { t } = useTranslation();
  const stage = useRef<HTMLElement>(null);
  const size = useElementSize(stage);
  const you = room.you;
  if (!you) return null;

  // The active speaker first, so speaker view and a full gallery always show them.
  const others = [...room.participants].sort((a, b) => Number(b.seatId === room.activeSpeaker) - Number(a.seatId === room.activeSpeaker));
  const shown = others.slice(0, maxTiles - 1);
  const screen = room.remote.find((r) => r.source === 'screen' && r.kind === 'video');
  const mode = screen ? 'screen' : view === 'speaker' && shown.length > 0 ? 'speaker' : 'gallery';
  const featured = mode === 'speaker' ? (shown.find((p) => p.seatId === room.activeSpeaker) ?? shown[0]) : undefined;

  const common = (p: Participant) => ({
    roleLabel: t(`roles.${p.role}`),
    speaking: room.activeSpeaker === p.seatId,
    handRaised: p.handRaised ?? false,
    host: p.host,
    sideLabel: sideOf(p) ? t(`room.side.${sideOf(p)}`) : undefined,
  });

  const tileFor = (p: Participant) => {
    const video = media(room, p.seatId, 'video', 'camera');
    const audio = media(room, p.seatId, 'audio', 'mic');
    const tracks = [video?.track, audio?.track].filter((track): track is MediaStreamTrack => track !== undefined);
    return (
      <VideoTile
        key={p.seatId}
        name={p.displayName}
        {...common(p)}
        tracks={tracks}
        videoOn={!!video && !video.producerPaused && !video.paused}
        micOff={!audio || audio.producerPaused}
        video={
          video ? { consumerId: video.consumerId, stats: room.stats[video.consumerId], layer: room.layers[video.consumerId] } : undefined
        }
        audio={audio ? { stats: room.stats[audio.consumerId] } : undefined}
      />
    );
  };

  const ownVideo = room.local.stream?.getVideoTracks() ?? [];
  const ownTile = (
    <VideoTile
      key="you"
      name={`${you.displayName}${t('room.you')}`}
      {...common(you)}
      tracks={ownVideo}
      videoOn={room.local.cameraOn && !room.local.audioOnly && ownVideo.length > 0}
      local
      micOff={!room.local.micOn}
    />
  );

  let content: ReactNode;
  if (mode === 'gallery') {
    const count = shown.length + 1;
    const layout = galleryLayout(count, size.width, size.height, gap);
    content = (
      <div
        className="gallery"
        data-count={count}
        style={{
          gridTemplateColumns: `repeat(${layout.cols}, ${Math.floor(layout.cellWidth)}px)`,
          gridAutoRows: `${Math.floor(layout.cellHeight)}px`,
          gap,
        }}
      >
        {ownTile}
        {shown.map(tileFor)}
      </div>
    );
  } else {
    const main = screen ? (
      <VideoTile
        key={screen.consumerId}
        kind="screen"
        name={room.participants.find((p) => p.seatId === screen.seatId)?.displayName ?? ''}
        roleLabel={t('room.sharedScreen')}
        tracks={[screen.track]}
        videoOn={!screen.producerPaused}
        speaking={false}
        micOff={false}
        video={{ consumerId: screen.consumerId, stats: room.stats[screen.consumerId], layer: undefined }}
      />
    ) : (
      featured && tileFor(featured)
    );
    content = (
      <>
        <div className="main-stage">{main}</div>
        <section className="filmstrip" aria-label={t('room.filmstrip')}>
          {ownTile}
          {shown.filter((p) => p !== featured).map(tileFor)}
        </section>
      </>
    );
  }

  return (
    <main ref={stage} className={`stage stage-${mode}`} data-testid="stage" data-layout={mode}>
      {content}
    </main>
  );
}
