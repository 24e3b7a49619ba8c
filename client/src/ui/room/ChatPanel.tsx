import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomClient, RoomSnapshot } from '../../room/index.js';

/** Messages with the host: a party writes to the host; the host writes to everyone. */
export function ChatPanel({ client, room }: { client: RoomClient; room: RoomSnapshot }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const host = client.may('admit');
  const send = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (!trimmed) return;
    void client.sendChat(trimmed).then(() => setText(''));
  };
  return (
    <section className="panel chat" aria-labelledby="chat-heading" data-testid="chat-panel">
      <h2 id="chat-heading">{t('chat.title')}</h2>
      <ol className="plain messages" aria-live="polite">
        {room.chat.length === 0 && <li className="muted">{t('chat.empty')}</li>}
        {room.chat.map((m) => (
          <li key={`${m.at}-${m.from}-${m.text}`} data-testid="chat-message">
            <strong>{m.fromName}</strong>
            {m.toHosts && <span className="muted"> {t('chat.toHostTag')}</span>}: {m.text}
          </li>
        ))}
      </ol>
      <form onSubmit={send} className="row">
        <label className="grow">
          <span className="visually-hidden">{host ? t('chat.toEveryone') : t('chat.toHost')}</span>
          <input
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('chat.placeholder')}
            maxLength={1000}
            data-testid="chat-input"
          />
        </label>
        <button type="submit" className="primary" data-testid="chat-send">
          {t('chat.send')}
        </button>
      </form>
    </section>
  );
}
