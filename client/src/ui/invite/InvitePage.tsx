import { lazy, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SelfTest } from '../../../../signaling/index.js';
import type { RoomClient } from '../../room/index.js';
import { useLocalMedia } from '../useLocalMedia.js';
import { useRoom } from '../useRoom.js';
import { EndScreen } from './EndScreen.js';
import { SelfTestScreen } from './SelfTestScreen.js';

// The waiting room and the room load behind the self-test (useRoomClient prefetches them once the RoomClient is in).
// The waiting screen too: it reads the session rules from signaling/, whose zod schemas are a third of the first page's script.
const WaitingScreen = lazy(() => import('./WaitingScreen.js').then((m) => ({ default: m.WaitingScreen })));
const RoomScreen = lazy(() => import('../room/RoomScreen.js').then((m) => ({ default: m.RoomScreen })));

/** /j/<token>: self-test, waiting room, session. The camera stays on throughout so nobody is surprised. */
export function InvitePage({ token }: { token: string }) {
  const client = useRoomClient(token);
  const room = useRoom(client);
  const [cameraId, setCameraId] = useState<string>();
  const [microphoneId, setMicrophoneId] = useState<string>();
  const [audioOnly, setAudioOnly] = useState(false);
  const media = useLocalMedia(cameraId, microphoneId, audioOnly);

  // Join may be pressed before the RoomClient's chunk has arrived: it is sent as soon as it has.
  const [joinWith, setJoinWith] = useState<SelfTest>();
  const joined = useRef(false);
  useEffect(() => {
    if (!client || !joinWith || joined.current) return;
    joined.current = true;
    void client.join({ selfTest: joinWith, stream: media.stream, audioOnly });
  }, [client, joinWith, media.stream, audioOnly]);

  const selfTestScreen = (
    <SelfTestScreen
      client={client}
      media={media}
      cameraId={cameraId}
      microphoneId={microphoneId}
      audioOnly={audioOnly}
      onCamera={setCameraId}
      onMicrophone={setMicrophoneId}
      onAudioOnly={setAudioOnly}
      onJoin={setJoinWith}
    />
  );
  if (!client || !room || room.phase === 'idle') return joinWith ? <Connecting /> : selfTestScreen;
  switch (room.phase) {
    case 'connecting':
      return <Connecting />;
    case 'waiting':
      return <WaitingScreen client={client} room={room} stream={media.stream} />;
    case 'joined':
    case 'reconnecting':
      return <RoomScreen client={client} room={room} />;
    default:
      return <EndScreen room={room} />;
  }
}

/**
 * The RoomClient (mediasoup-client and socket.io, most of the script) arrives in
 * its own chunk while the preview and the mic meter are already on screen: on a
 * 300 kbit/s village link that is seconds the person spends checking instead of waiting.
 */
function useRoomClient(token: string): RoomClient | undefined {
  const [client, setClient] = useState<RoomClient>();
  useEffect(() => {
    let cancelled = false;
    void import('../../room/RoomClient.js').then(({ RoomClient }) => {
      if (!cancelled) setClient(new RoomClient({ serverUrl: window.location.origin, token }));
      // Then the waiting and room screens, so entering the room waits for nothing either.
      void import('./WaitingScreen.js');
      void import('../room/RoomScreen.js');
    });
    return () => {
      cancelled = true;
    };
  }, [token]);
  return client;
}

function Connecting() {
  const { t } = useTranslation();
  return (
    <main aria-busy="true" className="centered">
      {t('errors.loading')}
    </main>
  );
}
