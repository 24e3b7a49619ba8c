import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Participant } from '../../../../signaling/index.js';
import type { RoomClient } from '../../room/index.js';
import { ConfirmDialog } from './ConfirmDialog.js';

/** People in the waiting room with their self-test verdict; admit at once, deny after a confirmation. */
export function WaitingList({ client, waiting }: { client: RoomClient; waiting: Participant[] }) {
  const { t } = useTranslation();
  const [denying, setDenying] = useState<Participant>();
  return (
    <>
      <ul className="plain waiting-list">
        {waiting.map((w) => (
          <li key={w.seatId} data-testid="waiting-entry" data-name={w.displayName} data-verdict={w.selfTest?.verdict ?? ''}>
            <span className="name">{w.displayName}</span>
            <span className="muted"> · {t(`roles.${w.role}`)} · </span>
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
                onClick={() => setDenying(w)}
              >
                {t('host.deny')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {denying && (
        <ConfirmDialog
          title={t('host.denyConfirmTitle', { name: denying.displayName })}
          text={t('host.denyConfirmText')}
          confirmLabel={t('host.deny')}
          cancelLabel={t('host.cancel')}
          onCancel={() => setDenying(undefined)}
          onConfirm={() => {
            setDenying(undefined);
            void client.deny(denying.seatId);
          }}
        />
      )}
    </>
  );
}
