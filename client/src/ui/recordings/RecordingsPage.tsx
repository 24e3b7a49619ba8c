import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordingEntry } from '../../../../server/recording/recordingList.js';
import { LanguageSwitch } from '../LanguageSwitch.js';
import { StaffApiError, staffApi } from '../staff/staffApi.js';

const pollMs = 2000;
const fileUrl = (recordingId: string, file: string) => `/api/recordings/${recordingId}/files/${file}`;

/**
 * A session's recordings for staff (/recordings/<sessionId>, sign-in cookie):
 * the composite with its progress while it is being made, and every track.
 * The server decides who may see them (host, staff seats, view_recordings).
 */
export function RecordingsPage({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const [recordings, setRecordings] = useState<RecordingEntry[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const load = async () => {
      try {
        const answer = await staffApi<{ recordings: RecordingEntry[] }>('GET', `/sessions/${encodeURIComponent(sessionId)}/recordings`);
        if (stopped) return;
        setRecordings(answer.recordings);
        setError(undefined);
        // Poll only while something is still being made.
        if (answer.recordings.some((r) => r.state === 'recording' || ['queued', 'running'].includes(r.composite.state)))
          timer = setTimeout(() => void load(), pollMs);
      } catch (err) {
        if (!stopped) setError(err instanceof StaffApiError ? err.message : String(err));
      }
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [sessionId]);

  return (
    <main className="recordings" data-testid="recordings-page" aria-labelledby="recordings-title">
      <header className="bar">
        <h1 id="recordings-title">{t('recordings.title')}</h1>
        <LanguageSwitch />
      </header>
      {error && (
        <p className="banner" role="alert">
          {error}
        </p>
      )}
      {recordings?.length === 0 && <p>{t('recordings.none')}</p>}
      {recordings?.map((r) => (
        <section key={r.recordingId} data-testid="recording" aria-label={r.recordingId}>
          <h2>
            {new Date(r.startedAt).toLocaleString()} ·{' '}
            {r.durationMs === undefined ? t('recordings.inProgress') : `${Math.round(r.durationMs / 1000)} s`}
          </h2>
          {r.repaired && <p className="notice">{t('recordings.repaired')}</p>}
          {r.composite.state === 'done' && r.composite.file ? (
            <video controls preload="metadata" src={fileUrl(r.recordingId, r.composite.file)} data-testid="composite-player">
              <track kind="captions" />
            </video>
          ) : (
            <label>
              {t('recordings.composite', { state: t(`recordings.state.${r.composite.state}`) })}
              <progress max={100} value={r.composite.percent} data-testid="composite-progress" />
              {r.composite.etaSeconds !== undefined && <span>{t('recordings.eta', { seconds: r.composite.etaSeconds })}</span>}
            </label>
          )}
          <ul>
            {r.tracks.map((track) => (
              <li key={track.file}>
                <span>
                  {track.participant} · {track.source} · {track.room}
                </span>
                {track.kind === 'video' ? (
                  <video controls preload="metadata" src={fileUrl(r.recordingId, track.file)}>
                    <track kind="captions" />
                  </video>
                ) : (
                  <audio controls preload="metadata" src={fileUrl(r.recordingId, track.file)}>
                    <track kind="captions" />
                  </audio>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </main>
  );
}
