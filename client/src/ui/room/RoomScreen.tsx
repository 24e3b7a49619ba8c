import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomClient, RoomSnapshot } from '../../room/index.js';
import { AgreementPanel } from '../agreement/AgreementPanel.js';
import { CaucusPanel } from './CaucusPanel.js';
import { ChatPanel } from './ChatPanel.js';
import { LeaveDialog } from './LeaveDialog.js';
import { NetworkBanner } from './NetworkBanner.js';
import { ParticipantsPanel } from './ParticipantsPanel.js';
import { RecordingBanner } from './RecordingBanner.js';
import { Sheet } from './Sheet.js';
import { Stage } from './Stage.js';
import { type SheetName, Toolbar } from './Toolbar.js';
import { TopBar } from './TopBar.js';
import { useWaitingAlert } from './useWaitingAlert.js';
import { WaitingBanner } from './WaitingBanner.js';

type Notice = 'mutedByHost' | 'cameraStoppedByHost' | 'unmuteRequested';

/** The session: top bar, the stage, one sheet at a time over it, and the toolbar. */
export function RoomScreen({ client, room }: { client: RoomClient; room: RoomSnapshot }) {
  const { t } = useTranslation();
  const [view, setView] = useState<'gallery' | 'speaker'>('gallery');
  const [sheet, setSheet] = useState<SheetName>();
  const [notice, setNotice] = useState<Notice>();
  const [leaving, setLeaving] = useState(false);
  // Messages seen: everything up to this count was on screen (or our own).
  const [read, setRead] = useState(0);
  const isHost = client.may('admit');
  useWaitingAlert(room.waiting, isHost);

  useEffect(() => {
    const offMuted = client.on('muted', (source) => setNotice(source === 'mic' ? 'mutedByHost' : 'cameraStoppedByHost'));
    const offAsk = client.on('unmuteRequested', () => setNotice('unmuteRequested'));
    return () => {
      offMuted();
      offAsk();
    };
  }, [client]);

  useEffect(() => {
    if (sheet === 'chat') setRead(room.chat.length);
  }, [sheet, room.chat.length]);

  if (!room.you) return null;
  const youId = room.you.seatId;
  const unread = room.chat.slice(read).filter((m) => m.from !== youId).length;
  // A host with someone to hand over to chooses; everyone else just leaves.
  const leave = () => (client.may('end') ? setLeaving(true) : void client.leave());

  return (
    <div className="room">
      <TopBar room={room} />
      <RecordingBanner recording={room.session?.recording ?? false} />
      {room.phase === 'reconnecting' && (
        <p className="banner" role="alert" data-testid="reconnecting">
          {t('room.reconnecting')}
        </p>
      )}
      {room.error?.code === 'MEDIA_ERROR' && (
        <p className="banner" role="alert">
          {t('room.mediaError')}
        </p>
      )}
      <NetworkBanner client={client} room={room} />
      {notice && (
        <div className="banner" role="alert" data-testid="notice" data-notice={notice}>
          {t(`room.${notice}`)}
          {notice === 'unmuteRequested' && (
            <button
              type="button"
              className="primary"
              onClick={() => {
                void client.setMic(true);
                setNotice(undefined);
              }}
            >
              {t('room.unmuteNow')}
            </button>
          )}
          <button type="button" onClick={() => setNotice(undefined)}>
            {t('room.dismiss')}
          </button>
        </div>
      )}
      <div className="stage-area">
        <Stage room={room} view={view} />
        {isHost && sheet !== 'participants' && (
          <WaitingBanner client={client} waiting={room.waiting} onShowAll={() => setSheet('participants')} />
        )}
        {sheet === 'chat' && (
          <Sheet title={t('chat.title')} testId="chat-sheet" onClose={() => setSheet(undefined)}>
            <ChatPanel client={client} room={room} />
          </Sheet>
        )}
        {sheet === 'agreement' && (
          <Sheet title={t('agreement.title')} testId="agreement-sheet" onClose={() => setSheet(undefined)}>
            <AgreementPanel client={client} room={room} />
          </Sheet>
        )}
        {sheet === 'participants' && (
          <Sheet title={t('host.participants')} testId="participants-sheet" onClose={() => setSheet(undefined)}>
            <ParticipantsPanel client={client} room={room} />
            <CaucusPanel client={client} room={room} />
          </Sheet>
        )}
      </div>
      <Toolbar client={client} room={room} sheet={sheet} onSheet={setSheet} view={view} onView={setView} unread={unread} onLeave={leave} />
      {leaving && <LeaveDialog client={client} room={room} onCancel={() => setLeaving(false)} />}
    </div>
  );
}
