import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can } from '../../../../signaling/index.js';
import type { RoomClient, RoomSnapshot } from '../../room/index.js';

/**
 * What a host's "Leave" means, asked plainly: hand the session to someone and
 * leave, or end it for everyone. Leaving never ends the session by surprise
 * (HMCTS and 腾讯会议 both separate the two).
 */
export function LeaveDialog({ client, room, onCancel }: { client: RoomClient; room: RoomSnapshot; onCancel(): void }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const candidates = room.participants.filter((p) => p.connected && can(p.role, 'admit'));
  const [next, setNext] = useState(candidates[0]?.seatId ?? '');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const handOverAndLeave = async () => {
    setBusy(true);
    try {
      await client.handover(next);
      await client.leave();
    } catch {
      setFailure(t('leave.handoverFailed'));
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="confirm" aria-labelledby="leave-title" onCancel={onCancel} data-testid="leave-dialog">
      <h2 id="leave-title">{t('leave.title')}</h2>
      {candidates.length > 0 ? (
        <fieldset className="handover">
          <legend>{t('leave.pickHost')}</legend>
          {candidates.map((p) => (
            <label key={p.seatId} className="checkbox">
              <input
                type="radio"
                name="next-host"
                value={p.seatId}
                checked={next === p.seatId}
                onChange={() => setNext(p.seatId)}
                data-testid="handover-choice"
                data-name={p.displayName}
              />
              {p.displayName}（{t(`roles.${p.role}`)}）
            </label>
          ))}
        </fieldset>
      ) : (
        <p>{t('leave.noCandidate')}</p>
      )}
      {failure && (
        <p role="alert" className="notice" data-testid="handover-error">
          {failure}
        </p>
      )}
      <div className="stack">
        {candidates.length > 0 && !failure && (
          <button
            type="button"
            className="primary"
            disabled={busy || !next}
            onClick={() => void handOverAndLeave()}
            data-testid="handover-leave"
          >
            {t('leave.handOver')}
          </button>
        )}
        {(candidates.length === 0 || failure) && (
          <button type="button" onClick={() => void client.leave()} data-testid="leave-only">
            {t('leave.leaveOnly')}
          </button>
        )}
        {client.may('end') && (
          <button type="button" className="danger primary" onClick={() => void client.end()} data-testid="end-for-all">
            {t('leave.endForAll')}
          </button>
        )}
        <button type="button" onClick={onCancel} data-testid="leave-cancel">
          {t('host.cancel')}
        </button>
      </div>
    </dialog>
  );
}
