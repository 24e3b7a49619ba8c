import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { coHostRoles, type Participant } from '../../../../signaling/index.js';
import type { RoomClient } from '../../room/index.js';
import { ConfirmDialog } from './ConfirmDialog.js';

type Action = {
  testId: string;
  key: 'mute' | 'askUnmute' | 'stopVideo' | 'remove' | 'handover';
  run(client: RoomClient, seatId: string): Promise<unknown>;
  danger?: boolean;
};

const actions: Action[] = [
  { testId: 'host-mute', key: 'mute', run: (c, id) => c.mute(id) },
  { testId: 'host-ask-unmute', key: 'askUnmute', run: (c, id) => c.requestUnmute(id) },
  { testId: 'host-stop-video', key: 'stopVideo', run: (c, id) => c.stopVideo(id) },
  { testId: 'host-remove', key: 'remove', run: (c, id) => c.remove(id), danger: true },
  { testId: 'host-handover', key: 'handover', run: (c, id) => c.handover(id) },
];

/** What a host may do to one participant. Hidden for roles the server would refuse anyway; removing asks first. */
export function SeatActions({ client, participant }: { client: RoomClient; participant: Participant }) {
  const { t } = useTranslation();
  const [confirmRemove, setConfirmRemove] = useState(false);
  if (!client.may('mute')) return null;
  // Removing and handing over are the host's alone; nobody removes the host, and only staff can take the host seat.
  const allowed = actions.filter((a) => {
    if (a.key === 'remove') return client.may('remove') && !participant.host;
    if (a.key === 'handover') return client.may('handover') && coHostRoles.includes(participant.role);
    return !participant.host || client.may('handover');
  });
  return (
    <div className="seat-actions">
      {allowed.map((a) => (
        <button
          key={a.key}
          type="button"
          className={a.danger ? 'danger' : undefined}
          data-testid={a.testId}
          aria-label={t(`host.${a.key}Label`, { name: participant.displayName })}
          onClick={() => (a.key === 'remove' ? setConfirmRemove(true) : void a.run(client, participant.seatId))}
        >
          {t(`host.${a.key}`)}
        </button>
      ))}
      {confirmRemove && (
        <ConfirmDialog
          title={t('host.removeConfirmTitle', { name: participant.displayName })}
          text={t('host.removeConfirmText')}
          confirmLabel={t('host.remove')}
          cancelLabel={t('host.cancel')}
          onCancel={() => setConfirmRemove(false)}
          onConfirm={() => {
            setConfirmRemove(false);
            void client.remove(participant.seatId);
          }}
        />
      )}
    </div>
  );
}
