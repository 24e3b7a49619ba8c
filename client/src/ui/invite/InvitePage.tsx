import { lazy, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SelfTest } from '../../../../signaling/index.js';
import { RoomClient } from '../../room/index.js';
import { useLocalMedia } from '../useLocalMedia.js';
import { useRoom } from '../useRoom.js';
import { EndScreen } from './EndScreen.js';
import { SelfTestScreen } from './SelfTestScreen.js';
import { WaitingScreen } from './WaitingScreen.js';

// The room loads behind the self-test (main.tsx prefetches it once the first screen is up).
const RoomScreen = lazy(() => import('../room/RoomScreen.js').then((m) => ({ default: m.RoomScreen })));

/** /j/<token>: self-test, waiting room, session. The camera stays on throughout so nobody is surprised. */
export function InvitePage({ token }: { token: string }) {
  const { t } = useTranslation();
  const client = useMemo(() => new RoomClient({ serverUrl: window.location.origin, token }), [token]);
  const room = useRoom(client);
  const [cameraId, setCameraId] = useState<string>();
  const [microphoneId, setMicrophoneId] = useState<string>();
  const [audioOnly, setAudioOnly] = useState(false);
  const media = useLocalMedia(cameraId, microphoneId, audioOnly);

  const join = (selfTest: SelfTest) => void client.join({ selfTest, stream: media.stream, audioOnly });

  switch (room.phase) {
    case 'idle':
      return (
        <SelfTestScreen
          client={client}
          media={media}
          cameraId={cameraId}
          microphoneId={microphoneId}
          audioOnly={audioOnly}
          onCamera={setCameraId}
          onMicrophone={setMicrophoneId}
          onAudioOnly={setAudioOnly}
          onJoin={join}
        />
      );
    case 'connecting':
      return (
        <main aria-busy="true" className="centered">
          {t('errors.loading')}
        </main>
      );
    case 'waiting':
      return <WaitingScreen client={client} room={room} stream={media.stream} />;
    case 'joined':
    case 'reconnecting':
      return <RoomScreen client={client} room={room} />;
    default:
      return <EndScreen room={room} />;
  }
}
