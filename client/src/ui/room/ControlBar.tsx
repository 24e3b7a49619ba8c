import { useTranslation } from 'react-i18next';
import type { RoomClient, RoomSnapshot } from '../../room/index.js';

type Props = {
  client: RoomClient;
  room: RoomSnapshot;
  chatOpen: boolean;
  onToggleChat(): void;
};

/** Our own controls. Every button has a label that says what pressing it will do. */
export function ControlBar({ client, room, chatOpen, onToggleChat }: Props) {
  const { t } = useTranslation();
  const { micOn, cameraOn, audioOnly, screenSharing } = room.local;
  const canPublish = client.may('publish');
  const handRaised = room.you?.handRaised ?? false;

  const shareScreen = async () => {
    if (screenSharing) return client.stopScreen();
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true }).catch(() => undefined);
    const track = stream?.getVideoTracks()[0];
    if (track) await client.shareScreen(track);
  };

  return (
    <nav className="controls" aria-label={t('controls.toolbar')}>
      {canPublish && (
        <>
          <button type="button" data-testid="mute-mic" aria-pressed={!micOn} onClick={() => void client.setMic(!micOn)}>
            {micOn ? t('controls.mute') : t('controls.unmute')}
          </button>
          <button
            type="button"
            data-testid="toggle-camera"
            aria-pressed={!cameraOn}
            disabled={audioOnly}
            onClick={() => void client.setCamera(!cameraOn)}
          >
            {cameraOn ? t('controls.cameraOff') : t('controls.cameraOn')}
          </button>
          {typeof navigator.mediaDevices?.getDisplayMedia === 'function' && (
            <button type="button" data-testid="share-screen" aria-pressed={screenSharing} onClick={() => void shareScreen()}>
              {screenSharing ? t('controls.stopShare') : t('controls.shareScreen')}
            </button>
          )}
        </>
      )}
      <button type="button" data-testid="audio-only" aria-pressed={audioOnly} onClick={() => void client.setAudioOnly(!audioOnly)}>
        {audioOnly ? t('controls.audioOnlyOff') : t('controls.audioOnlyOn')}
      </button>
      <button type="button" data-testid="raise-hand" aria-pressed={handRaised} onClick={() => void client.raiseHand(!handRaised)}>
        {handRaised ? t('controls.lowerHand') : t('controls.raiseHand')}
      </button>
      <button type="button" data-testid="toggle-chat" aria-pressed={chatOpen} aria-expanded={chatOpen} onClick={onToggleChat}>
        {t('controls.chat')}
        {room.chat.length > 0 && <span className="count"> ({room.chat.length})</span>}
      </button>
      <button type="button" className="danger" data-testid="leave-button" onClick={() => void client.leave()}>
        {t('controls.leave')}
      </button>
    </nav>
  );
}
