import { useTranslation } from 'react-i18next';
import { isRecordingForced } from '../../../../signaling/index.js';
import type { RoomClient, RoomSnapshot } from '../../room/index.js';
import { LanguageSwitch } from '../LanguageSwitch.js';
import { Preview } from '../Preview.js';

/** Where a party waits to be admitted: what happens next, the recording notice, and their own preview. */
export function WaitingScreen({ client, room, stream }: { client: RoomClient; room: RoomSnapshot; stream: MediaStream | undefined }) {
  const { t } = useTranslation();
  return (
    <main className="waiting" data-testid="waiting-room" aria-labelledby="waiting-title">
      <header className="bar">
        <h1 id="waiting-title">{room.session?.title}</h1>
        <LanguageSwitch />
      </header>
      <h2>{t('waiting.title')}</h2>
      <p role="status">{t('waiting.next')}</p>
      {room.session?.locked && (
        <p className="notice" data-testid="waiting-locked">
          {t('waiting.locked')}
        </p>
      )}
      {(room.session?.recording || (room.session !== undefined && isRecordingForced(room.session.type))) && (
        <p className="notice" data-testid="recording-notice">
          {t('waiting.recording')}
        </p>
      )}
      {room.you && <p>{t('waiting.role', { role: t(`roles.${room.you.role}`) })}</p>}
      <Preview stream={stream} label={t('selfTest.camera')} />
      <button type="button" onClick={() => void client.leave()} data-testid="leave-button">
        {t('waiting.leave')}
      </button>
    </main>
  );
}
