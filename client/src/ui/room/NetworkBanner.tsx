import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomClient, RoomSnapshot } from '../../room/index.js';

/**
 * What our link means for the person, in plain words: received video paused
 * because the downlink cannot carry it, and the offer to go audio only when
 * not even the smallest video fits (they decide; the offer stays until they
 * answer it or the link recovers).
 */
export function NetworkBanner({ client, room }: { client: RoomClient; room: RoomSnapshot }) {
  const { t } = useTranslation();
  const { audioOnlySuggested, videoPausedForLink } = room.network;
  const [dismissed, setDismissed] = useState(false);
  // A fresh suggestion after the link recovered is offered again.
  useEffect(() => {
    if (!audioOnlySuggested) setDismissed(false);
  }, [audioOnlySuggested]);
  const offer = audioOnlySuggested && !room.local.audioOnly && !dismissed;

  return (
    <>
      {videoPausedForLink && !room.local.audioOnly && (
        <p className="banner" role="status" data-testid="video-paused-for-link">
          {t('room.network.videoPaused')}
        </p>
      )}
      {offer && (
        <div className="banner" role="alert" data-testid="audio-only-offer" data-audio-only-suggested="true">
          {t('room.network.audioOnlyOffer')}
          <button type="button" className="primary" data-testid="audio-only-accept" onClick={() => void client.setAudioOnly(true)}>
            {t('room.network.switchToAudioOnly')}
          </button>
          <button type="button" onClick={() => setDismissed(true)}>
            {t('room.network.keepVideo')}
          </button>
        </div>
      )}
    </>
  );
}
