import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

const shownMs = 8000;

/**
 * Tells everyone in the room when recording starts (and when it stops), for
 * a few seconds; the top bar's indicator stays while it runs. Someone who
 * enters during a recording sees it too, as their first view of the room.
 */
export function RecordingBanner({ recording }: { recording: boolean }) {
  const { t } = useTranslation();
  const previous = useRef<boolean | undefined>(undefined);
  const [shown, setShown] = useState<'started' | 'stopped' | undefined>(undefined);

  useEffect(() => {
    const before = previous.current;
    previous.current = recording;
    if (before === recording || (before === undefined && !recording)) return;
    setShown(recording ? 'started' : 'stopped');
    const timer = setTimeout(() => setShown(undefined), shownMs);
    return () => clearTimeout(timer);
  }, [recording]);

  if (!shown) return null;
  return (
    <p className="banner" role="alert" data-testid="recording-banner">
      {shown === 'started' ? t('room.recordingStarted') : t('room.recordingStopped')}
    </p>
  );
}
