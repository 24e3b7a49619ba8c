import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { jointRoom, type Participant } from '../../../../signaling/index.js';
import type { RoomClient, RoomSnapshot } from '../../room/index.js';

/** Which room a seat is in, by name: the joint room, or a caucus. */
export function roomName(room: RoomSnapshot, location: string | undefined, jointLabel: string): string {
  if (!location || location === jointRoom) return jointLabel;
  return room.session?.caucuses.find((c) => c.id === location)?.name ?? jointLabel;
}

/** Where I am: everyone sees which room they are in (背对背调解). */
export function CurrentRoom({ room }: { room: RoomSnapshot }) {
  const { t } = useTranslation();
  const location = room.you?.location ?? jointRoom;
  return (
    <span className="badge-text" data-testid="current-room" data-room={location} role="status">
      {t('caucus.youAreIn', { room: roomName(room, location, t('room.jointRoom')) })}
    </span>
  );
}

/**
 * The host's caucus controls: open a named room, move people (several at once,
 * e.g. a party with their counsel) or yourself into any room, bring everyone back.
 */
export function CaucusPanel({ client, room }: { client: RoomClient; room: RoomSnapshot }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  if (!client.may('caucus') || !room.you) return null;
  const you = room.you;
  const rooms = [{ id: jointRoom, name: t('room.jointRoom') }, ...(room.session?.caucuses ?? [])];
  const people: Participant[] = [you, ...room.participants];
  const toggle = (seatId: string) => setPicked(picked.includes(seatId) ? picked.filter((id) => id !== seatId) : [...picked, seatId]);
  const move = (roomId: string) => {
    const seatIds = picked.length > 0 ? picked : [you.seatId];
    void client.moveToRoom(seatIds, roomId).then(() => setPicked([]));
  };

  return (
    <section className="panel" data-testid="caucus-panel" aria-label={t('caucus.title')}>
      <h2>{t('caucus.title')}</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) void client.openCaucus(name.trim()).then(() => setName(''));
        }}
      >
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={40}
          placeholder={t('caucus.newName')}
          aria-label={t('caucus.newName')}
        />
        <button type="submit" data-testid="caucus-create">
          {t('caucus.create')}
        </button>
      </form>
      <ul className="people">
        {people.map((p) => (
          <li key={p.seatId}>
            <label>
              <input
                type="checkbox"
                checked={picked.includes(p.seatId)}
                onChange={() => toggle(p.seatId)}
                data-testid="caucus-pick"
                data-name={p.displayName}
              />
              {p.seatId === you.seatId ? t('room.you') : p.displayName} · {roomName(room, p.location, t('room.jointRoom'))}
            </label>
          </li>
        ))}
      </ul>
      <div className="row wrap">
        {rooms.map((r) => (
          <button key={r.id} type="button" data-testid="move-to-room" data-room={r.id} data-room-name={r.name} onClick={() => move(r.id)}>
            {t('caucus.moveTo', { room: r.name })}
          </button>
        ))}
        <button type="button" className="primary" data-testid="return-all" onClick={() => void client.returnAll()}>
          {t('caucus.returnAll')}
        </button>
      </div>
    </section>
  );
}
