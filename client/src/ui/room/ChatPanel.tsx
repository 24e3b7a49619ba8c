import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, RoomClient, RoomSnapshot } from '../../room/index.js';

function clock(at: string): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Messages with the host: a party writes to the host; the host writes to everyone or to one person. */
export function ChatPanel({ client, room }: { client: RoomClient; room: RoomSnapshot }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [to, setTo] = useState('');
  const host = client.may('admit');
  const nameOf = (seatId: string) =>
    seatId === room.you?.seatId ? t('chat.me') : (room.participants.find((p) => p.seatId === seatId)?.displayName ?? '');
  // Who a message went to, said the way 腾讯会议 and 钉钉 say it: "发给：主持人".
  const recipients = (m: ChatMessage) => (m.to ? nameOf(m.to) : m.toHosts ? t('chat.hosts') : t('chat.everyone'));
  const send = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (!trimmed) return;
    void client.sendChat(trimmed, host && to ? to : undefined).then(() => setText(''));
  };
  return (
    <div className="chat" data-testid="chat-panel">
      <ol className="plain messages" aria-live="polite">
        {room.chat.length === 0 && <li className="muted">{t('chat.empty')}</li>}
        {room.chat.map((m) => (
          <li key={`${m.at}-${m.from}-${m.text}`} data-testid="chat-message">
            <p className="meta">
              <strong>{m.from === room.you?.seatId ? t('chat.me') : m.fromName}</strong>{' '}
              <span data-testid="chat-recipients">{t('chat.sentTo', { to: recipients(m) })}</span>{' '}
              <time dateTime={m.at}>{clock(m.at)}</time>
            </p>
            <p className="text">{m.text}</p>
          </li>
        ))}
      </ol>
      <form onSubmit={send}>
        {host ? (
          <label>
            {t('chat.sendTo')}
            <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="chat-to">
              <option value="">{t('chat.everyone')}</option>
              {room.participants.map((p) => (
                <option key={p.seatId} value={p.seatId}>
                  {p.displayName}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <p className="muted">{t('chat.sentTo', { to: t('chat.hosts') })}</p>
        )}
        <div className="row">
          <label className="grow">
            <span className="visually-hidden">{t('chat.placeholder')}</span>
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
        </div>
      </form>
    </div>
  );
}
