import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomClient, RoomSnapshot } from '../../room/index.js';
import { ConfirmDialog } from './ConfirmDialog.js';

/** The host's waiting list and session-wide controls. */
export function HostPanel({ client, room }: { client: RoomClient; room: RoomSnapshot }) {
  const { t } = useTranslation();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const locked = room.session?.locked ?? false;
  return (
    <section className="panel" aria-labelledby="host-heading">
      <h2 id="host-heading">{t('host.panel')}</h2>
      <h3>{t('host.waitingList', { count: room.waiting.length })}</h3>
      {room.waiting.length === 0 && <p className="muted">{t('host.waitingEmpty')}</p>}
      <ul className="plain waiting-list">
        {room.waiting.map((w) => (
          <li key={w.seatId} data-testid="waiting-entry" data-name={w.displayName} data-verdict={w.selfTest?.verdict ?? ''}>
            <span className="name">{w.displayName}</span> · {t(`roles.${w.role}`)} ·{' '}
            <span className={`verdict-tag verdict-${w.selfTest?.verdict ?? 'none'}`}>
              {w.selfTest ? t('host.selfTest', { verdict: t(`selfTest.verdict.${w.selfTest.verdict}`) }) : t('host.noSelfTest')}
            </span>
            <div className="row">
              <button
                type="button"
                className="primary"
                data-testid="admit-button"
                aria-label={t('host.admitLabel', { name: w.displayName })}
                onClick={() => void client.admit(w.seatId)}
              >
                {t('host.admit')}
              </button>
              <button
                type="button"
                data-testid="deny-button"
                aria-label={t('host.denyLabel', { name: w.displayName })}
                onClick={() => void client.deny(w.seatId)}
              >
                {t('host.deny')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <div className="row">
        {client.may('lock') && (
          <button type="button" data-testid="lock-session" aria-pressed={locked} onClick={() => void client.lock(!locked)}>
            {locked ? t('host.unlock') : t('host.lock')}
          </button>
        )}
        {client.may('end') && (
          <button type="button" className="danger" data-testid="end-session" onClick={() => setConfirmEnd(true)}>
            {t('host.end')}
          </button>
        )}
      </div>
      {confirmEnd && (
        <ConfirmDialog
          title={t('host.endConfirmTitle')}
          text={t('host.endConfirmText')}
          confirmLabel={t('host.endConfirm')}
          cancelLabel={t('host.cancel')}
          onCancel={() => setConfirmEnd(false)}
          onConfirm={() => {
            setConfirmEnd(false);
            void client.end();
          }}
        />
      )}
    </section>
  );
}
