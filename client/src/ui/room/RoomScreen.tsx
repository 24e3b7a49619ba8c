import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Participant } from '../../../../signaling/index.js';
import type { RemoteMedia, RoomClient, RoomSnapshot } from '../../room/index.js';
import { LanguageSwitch } from '../LanguageSwitch.js';
import { CaucusPanel, CurrentRoom } from './CaucusPanel.js';
import { ChatPanel } from './ChatPanel.js';
import { ControlBar } from './ControlBar.js';
import { HostPanel } from './HostPanel.js';
import { TileHostActions } from './TileHostActions.js';
import { VideoTile } from './VideoTile.js';

const maxTiles = 9;

type Notice = 'mutedByHost' | 'cameraStoppedByHost' | 'unmuteRequested';

function media(room: RoomSnapshot, seatId: string, kind: 'audio' | 'video', source: 'camera' | 'screen' | 'mic'): RemoteMedia | undefined {
  return room.remote.find((r) => r.seatId === seatId && r.kind === kind && r.source === source);
}

/** The session: tiles, our controls, and for hosts the waiting list and session controls. */
export function RoomScreen({ client, room }: { client: RoomClient; room: RoomSnapshot }) {
  const { t } = useTranslation();
  const [view, setView] = useState<'grid' | 'speaker'>('grid');
  const [chatOpen, setChatOpen] = useState(false);
  const [notice, setNotice] = useState<Notice>();

  useEffect(() => {
    const offMuted = client.on('muted', (source) => setNotice(source === 'mic' ? 'mutedByHost' : 'cameraStoppedByHost'));
    const offAsk = client.on('unmuteRequested', () => setNotice('unmuteRequested'));
    return () => {
      offMuted();
      offAsk();
    };
  }, [client]);

  const you = room.you;
  if (!you) return null;
  const isHost = client.may('admit');

  // The active speaker first, so speaker view and a full grid always show them.
  const others = [...room.participants].sort((a, b) => Number(b.seatId === room.activeSpeaker) - Number(a.seatId === room.activeSpeaker));
  const shown = others.slice(0, maxTiles - 1);
  const featured = view === 'speaker' ? (shown.find((p) => p.seatId === room.activeSpeaker) ?? shown[0]) : undefined;
  const screens = room.remote.filter((r) => r.source === 'screen');

  const tileFor = (p: Participant) => {
    const video = media(room, p.seatId, 'video', 'camera');
    const audio = media(room, p.seatId, 'audio', 'mic');
    const tracks = [video?.track, audio?.track].filter((track): track is MediaStreamTrack => track !== undefined);
    return (
      <VideoTile
        key={p.seatId}
        name={p.displayName}
        roleLabel={p.host ? `${t(`roles.${p.role}`)} · ${t('host.badge')}` : t(`roles.${p.role}`)}
        tracks={tracks}
        speaking={room.activeSpeaker === p.seatId}
        micOff={!audio || audio.producerPaused}
        handRaised={p.handRaised ?? false}
        video={
          video ? { consumerId: video.consumerId, stats: room.stats[video.consumerId], layer: room.layers[video.consumerId] } : undefined
        }
        audio={audio ? { stats: room.stats[audio.consumerId] } : undefined}
      >
        <TileHostActions client={client} participant={p} />
      </VideoTile>
    );
  };

  const ownTile = (
    <VideoTile
      name={`${you.displayName} ${t('room.you')}`}
      roleLabel={you.host ? `${t(`roles.${you.role}`)} · ${t('host.badge')}` : t(`roles.${you.role}`)}
      tracks={room.local.stream?.getVideoTracks() ?? []}
      local
      speaking={room.activeSpeaker === you.seatId}
      micOff={!room.local.micOn}
      handRaised={you.handRaised ?? false}
    />
  );

  return (
    <div className={`room view-${view}`}>
      <header className="bar">
        <h1>{room.session?.title}</h1>
        <div className="row">
          <CurrentRoom room={room} />
          {room.session?.recording && (
            <span className="recording" data-testid="recording-indicator" role="status">
              ● {t('room.recording')}
            </span>
          )}
          {room.session?.locked && <span className="badge-text">{t('room.locked')}</span>}
          <button
            type="button"
            data-testid="toggle-view"
            aria-pressed={view === 'speaker'}
            onClick={() => setView(view === 'grid' ? 'speaker' : 'grid')}
          >
            {view === 'grid' ? t('room.speakerView') : t('room.gridView')}
          </button>
          <LanguageSwitch />
        </div>
      </header>
      {room.phase === 'reconnecting' && (
        <p className="banner" role="alert" data-testid="reconnecting">
          {t('room.reconnecting')}
        </p>
      )}
      {room.error?.code === 'MEDIA_ERROR' && (
        <p className="banner" role="alert">
          {t('room.mediaError', { message: room.error.message })}
        </p>
      )}
      {notice && (
        <div className="banner" role="alert" data-testid="notice" data-notice={notice}>
          {t(`room.${notice}`)}
          {notice === 'unmuteRequested' && (
            <button
              type="button"
              className="primary"
              onClick={() => {
                void client.setMic(true);
                setNotice(undefined);
              }}
            >
              {t('room.unmuteNow')}
            </button>
          )}
          <button type="button" onClick={() => setNotice(undefined)}>
            {t('room.dismiss')}
          </button>
        </div>
      )}
      <div className="stage">
        <main className="tiles" data-count={shown.length + 1}>
          {screens.map((s) => (
            <VideoTile
              key={s.consumerId}
              kind="screen"
              name={room.participants.find((p) => p.seatId === s.seatId)?.displayName ?? ''}
              roleLabel={t('controls.shareScreen')}
              tracks={[s.track]}
              speaking={false}
              micOff={false}
              video={{ consumerId: s.consumerId, stats: room.stats[s.consumerId], layer: undefined }}
            />
          ))}
          {featured ? (
            <>
              <div className="featured">{tileFor(featured)}</div>
              <div className="strip">
                {ownTile}
                {shown.filter((p) => p !== featured).map(tileFor)}
              </div>
            </>
          ) : (
            <>
              {ownTile}
              {shown.map(tileFor)}
            </>
          )}
        </main>
        {(isHost || chatOpen) && (
          <aside className="side">
            {isHost && <HostPanel client={client} room={room} />}
            {isHost && <CaucusPanel client={client} room={room} />}
            {chatOpen && <ChatPanel client={client} room={room} />}
          </aside>
        )}
      </div>
      <ControlBar client={client} room={room} chatOpen={chatOpen} onToggleChat={() => setChatOpen(!chatOpen)} />
    </div>
  );
}
