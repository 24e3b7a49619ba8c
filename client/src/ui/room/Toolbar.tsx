import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomClient, RoomSnapshot } from '../../room/index.js';
import { ToolIcon } from './icons.js';

export type SheetName = 'chat' | 'participants' | 'agreement';

type Props = {
  client: RoomClient;
  room: RoomSnapshot;
  sheet: SheetName | undefined;
  onSheet(sheet: SheetName | undefined): void;
  view: 'gallery' | 'speaker';
  onView(view: 'gallery' | 'speaker'): void;
  unread: number;
  onLeave(): void;
};

/**
 * The bottom toolbar, after 腾讯会议 and 钉钉: icon and a short label, one row,
 * at most 72 px tall. What does not fit on a phone goes into "more"; on wider
 * screens the same buttons sit in the row (CSS decides, so each exists once).
 */
export function Toolbar({ client, room, sheet, onSheet, view, onView, unread, onLeave }: Props) {
  const { t } = useTranslation();
  const [moreOpen, setMoreOpen] = useState(false);
  const { micOn, cameraOn, audioOnly, screenSharing } = room.local;
  const canPublish = client.may('publish');
  const handRaised = room.you?.handRaised ?? false;
  const waiting = client.may('admit') ? room.waiting.length : 0;
  // A visit records from start to end: nobody gets a switch for it.
  const canRecord = client.may('record') && room.session?.type !== 'visit';
  const recording = room.session?.recording ?? false;
  const toggle = (name: SheetName) => onSheet(sheet === name ? undefined : name);

  const shareScreen = async () => {
    if (screenSharing) return client.stopScreen();
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true }).catch(() => undefined);
    const track = stream?.getVideoTracks()[0];
    if (track) await client.shareScreen(track);
  };

  return (
    <nav className="toolbar" aria-label={t('controls.toolbar')} data-testid="toolbar">
      {canPublish && (
        <>
          <button type="button" data-testid="mute-mic" aria-pressed={!micOn} onClick={() => void client.setMic(!micOn)}>
            <ToolIcon name={micOn ? 'mic' : 'micOff'} />
            <span>{micOn ? t('controls.mute') : t('controls.unmute')}</span>
          </button>
          <button
            type="button"
            data-testid="toggle-camera"
            aria-pressed={!cameraOn}
            disabled={audioOnly}
            onClick={() => void client.setCamera(!cameraOn)}
          >
            <ToolIcon name={cameraOn ? 'camera' : 'cameraOff'} />
            <span>{cameraOn ? t('controls.cameraOff') : t('controls.cameraOn')}</span>
          </button>
        </>
      )}
      <button
        type="button"
        data-testid="toggle-chat"
        aria-pressed={sheet === 'chat'}
        aria-expanded={sheet === 'chat'}
        onClick={() => toggle('chat')}
      >
        <ToolIcon name="chat" />
        <span>{t('controls.chat')}</span>
        {unread > 0 && (
          <>
            <span className="count-badge" data-testid="chat-unread" aria-hidden="true">
              {unread}
            </span>
            <span className="visually-hidden">{t('controls.unread', { count: unread })}</span>
          </>
        )}
      </button>
      <button
        type="button"
        data-testid="toggle-participants"
        aria-pressed={sheet === 'participants'}
        aria-expanded={sheet === 'participants'}
        onClick={() => toggle('participants')}
      >
        <ToolIcon name="people" />
        <span>{t('controls.participants')}</span>
        {waiting > 0 && (
          <>
            <span className="count-badge" data-testid="waiting-badge" aria-hidden="true">
              {waiting}
            </span>
            <span className="visually-hidden">{t('controls.waitingCount', { count: waiting })}</span>
          </>
        )}
      </button>
      {room.session?.type === 'mediation' && (
        <button type="button" data-testid="toggle-agreement" aria-expanded={sheet === 'agreement'} onClick={() => toggle('agreement')}>
          <ToolIcon name="chat" />
          <span>{t('agreement.open')}</span>
        </button>
      )}
      {canRecord && (
        <button
          type="button"
          data-testid="record-toggle"
          aria-pressed={recording}
          onClick={() => void (recording ? client.stopRecording() : client.startRecording())}
        >
          <ToolIcon name="record" />
          <span>{recording ? t('controls.stopRecording') : t('controls.startRecording')}</span>
        </button>
      )}
      <button
        type="button"
        className="more-button"
        aria-expanded={moreOpen}
        data-testid="more-button"
        onClick={() => setMoreOpen(!moreOpen)}
      >
        <ToolIcon name="more" />
        <span>{t('controls.more')}</span>
      </button>
      <div className={`more-items${moreOpen ? ' open' : ''}`} data-testid="more-menu">
        <button type="button" data-testid="raise-hand" aria-pressed={handRaised} onClick={() => void client.raiseHand(!handRaised)}>
          {handRaised ? t('controls.lowerHand') : t('controls.raiseHand')}
        </button>
        {canPublish && typeof navigator.mediaDevices?.getDisplayMedia === 'function' && (
          <button type="button" data-testid="share-screen" aria-pressed={screenSharing} onClick={() => void shareScreen()}>
            {screenSharing ? t('controls.stopShare') : t('controls.shareScreen')}
          </button>
        )}
        <button type="button" data-testid="audio-only" aria-pressed={audioOnly} onClick={() => void client.setAudioOnly(!audioOnly)}>
          {audioOnly ? t('controls.audioOnlyOff') : t('controls.audioOnlyOn')}
        </button>
        <button
          type="button"
          data-testid="toggle-view"
          aria-pressed={view === 'speaker'}
          onClick={() => onView(view === 'gallery' ? 'speaker' : 'gallery')}
        >
          {view === 'gallery' ? t('room.speakerView') : t('room.gridView')}
        </button>
      </div>
      <button type="button" className="danger" data-testid="leave-button" onClick={onLeave}>
        <ToolIcon name="leave" />
        <span>{t('controls.leave')}</span>
      </button>
    </nav>
  );
}
