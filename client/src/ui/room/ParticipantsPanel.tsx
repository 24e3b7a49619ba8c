import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Participant } from '../../../../signaling/index.js';
import type { RoomClient, RoomSnapshot } from '../../room/index.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { HandIcon } from './icons.js';
import { SeatActions } from './SeatActions.js';
import { locationOf, sideOf } from './seat.js';
import { WaitingList } from './WaitingList.js';

type SeatState = { mic: boolean; camera: boolean };

function seatState(room: RoomSnapshot, p: Participant): SeatState {
  if (p.seatId === room.you?.seatId) return { mic: room.local.micOn, camera: room.local.cameraOn };
  const on = (source: 'mic' | 'camera') => room.remote.some((r) => r.seatId === p.seatId && r.source === source && !r.producerPaused);
  return { mic: on('mic'), camera: on('camera') };
}

/**
 * Everyone in the session with their state; for the host also the waiting room,
 * the raised-hand queue, mute all, lock and end (HMCTS's participant panel).
 */
export function ParticipantsPanel({ client, room }: { client: RoomClient; room: RoomSnapshot }) {
  const { t } = useTranslation();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const host = client.may('admit');
  const everyone = room.you ? [room.you, ...room.participants] : room.participants;
  const hands = everyone.filter((p) => p.handRaised);
  const locked = room.session?.locked ?? false;

  return (
    <div className="participants" data-testid="participants-panel">
      {host && (
        <section aria-labelledby="waiting-heading">
          <h3 id="waiting-heading">{t('host.waitingList', { count: room.waiting.length })}</h3>
          {room.waiting.length === 0 ? (
            <p className="muted">{t('host.waitingEmpty')}</p>
          ) : (
            <WaitingList client={client} waiting={room.waiting} />
          )}
        </section>
      )}
      {hands.length > 0 && (
        <section aria-labelledby="hands-heading" data-testid="hand-queue">
          <h3 id="hands-heading">{t('host.handQueue', { count: hands.length })}</h3>
          <ol className="hand-queue">
            {hands.map((p) => (
              <li key={p.seatId} data-testid="hand-entry" data-name={p.displayName}>
                <HandIcon label={t('room.handRaised')} /> {p.displayName}
              </li>
            ))}
          </ol>
        </section>
      )}
      <section aria-labelledby="people-heading">
        <h3 id="people-heading">{t('host.inSession', { count: everyone.length })}</h3>
        <ul className="plain people">
          {everyone.map((p) => {
            const state = seatState(room, p);
            const side = sideOf(p);
            return (
              <li
                key={p.seatId}
                data-testid="participant-entry"
                data-name={p.displayName}
                data-mic={state.mic ? 'on' : 'off'}
                data-camera={state.camera ? 'on' : 'off'}
                data-connected={p.connected ? 'true' : 'false'}
                data-location={locationOf(p) ?? ''}
              >
                <p className="who">
                  <strong>{p.displayName}</strong>
                  {p.seatId === room.you?.seatId && t('room.you')}
                  {p.host && <span className="host-badge">{t('room.hostBadge')}</span>}
                  {side && <span className="side-badge">{t(`room.side.${side}`)}</span>}
                </p>
                <p className="muted state">
                  {[
                    t(`roles.${p.role}`),
                    state.mic ? t('host.state.micOn') : t('host.state.micOff'),
                    state.camera ? t('host.state.cameraOn') : t('host.state.cameraOff'),
                    ...(p.connected ? [] : [t('host.state.disconnected')]),
                    ...(p.handRaised ? [t('room.handRaised')] : []),
                  ].join(t('host.state.separator'))}
                </p>
                {p.seatId !== room.you?.seatId && <SeatActions client={client} participant={p} />}
              </li>
            );
          })}
        </ul>
      </section>
      {host && (
        <section className="row host-tools" aria-label={t('host.panel')}>
          {client.may('mute') && room.participants.length > 0 && (
            <button type="button" data-testid="mute-all" onClick={() => void client.muteAll()}>
              {t('host.muteAll')}
            </button>
          )}
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
        </section>
      )}
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
    </div>
  );
}
