import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SelfTest } from '../../../../signaling/index.js';
import type { RoomClient } from '../../room/index.js';
// Straight from the module, not the room index: the index pulls in the RoomClient, which loads in its own chunk.
import { selfTestVerdict, toSelfTest } from '../../room/selfTest.js';
import { LanguageSwitch } from '../LanguageSwitch.js';
import { Preview } from '../Preview.js';
import { type LocalMedia, playTestTone, useMicLevel } from '../useLocalMedia.js';
import { DeviceSelect } from './DeviceSelect.js';

type Props = {
  /** Undefined while its chunk loads: preview and mic meter do not wait for it. */
  client: RoomClient | undefined;
  media: LocalMedia;
  cameraId: string | undefined;
  microphoneId: string | undefined;
  audioOnly: boolean;
  onCamera(id: string): void;
  onMicrophone(id: string): void;
  onAudioOnly(value: boolean): void;
  onJoin(selfTest: SelfTest): void;
};

type Network = { state: 'checking' } | { state: 'done'; rttMs: number | undefined; protocol: 'udp' | 'tcp' | null };

/** Pre-join check, after HMCTS Video Hearings: camera, microphone, speakers, network, then a plain verdict. */
export function SelfTestScreen(props: Props) {
  const { t } = useTranslation();
  const { client, media, audioOnly } = props;
  const level = useMicLevel(media.stream);
  const [speakers, setSpeakers] = useState<boolean | undefined>(undefined);
  const [network, setNetwork] = useState<Network>({ state: 'checking' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger.
  useEffect(() => {
    let cancelled = false;
    setNetwork({ state: 'checking' });
    if (!client) return;
    client
      .checkNetwork()
      .catch(() => ({ rttMs: undefined, protocol: null }))
      .then((result) => !cancelled && setNetwork({ state: 'done', ...result }));
    return () => {
      cancelled = true;
    };
  }, [client, attempt]);

  const input = {
    camera: (media.stream?.getVideoTracks().length ?? 0) > 0,
    microphone: (media.stream?.getAudioTracks().length ?? 0) > 0,
    speakers,
    rttMs: network.state === 'done' ? network.rttMs : undefined,
    protocol: network.state === 'done' ? network.protocol : undefined,
    audioOnly,
  };
  // Devices and network are checked by the page; the speakers only by the person, so the verdict waits for their answer.
  const checked = media.probed && network.state === 'done';
  // Joining waits for the camera and microphone only: on a village link the network probe can take seconds, and its verdict may refine later.
  const mayJoin = media.probed;
  const ready = checked && speakers !== undefined;
  const { verdict, advice } = selfTestVerdict(input);

  return (
    <main className="selftest" aria-labelledby="selftest-title">
      <header className="bar">
        <h1 id="selftest-title">{t('selfTest.title')}</h1>
        <LanguageSwitch />
      </header>
      <p>{t('selfTest.intro')}</p>
      <div className="selftest-grid">
        <section aria-labelledby="camera-heading">
          <h2 id="camera-heading">{t('selfTest.camera')}</h2>
          {!audioOnly && <Preview stream={media.stream} label={t('selfTest.camera')} />}
          <DeviceSelect
            label={t('selfTest.chooseCamera')}
            fallbackName={t('selfTest.camera')}
            devices={media.cameras}
            value={props.cameraId}
            disabled={audioOnly}
            testId="camera-select"
            onChange={props.onCamera}
          />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={audioOnly}
              onChange={(e) => props.onAudioOnly(e.target.checked)}
              data-testid="audio-only-checkbox"
            />
            {t('selfTest.audioOnly')}
          </label>
        </section>
        <section aria-labelledby="mic-heading">
          <h2 id="mic-heading">{t('selfTest.microphone')}</h2>
          <DeviceSelect
            label={t('selfTest.chooseMicrophone')}
            fallbackName={t('selfTest.microphone')}
            devices={media.microphones}
            value={props.microphoneId}
            testId="microphone-select"
            onChange={props.onMicrophone}
          />
          <meter className="mic-meter" min={0} max={1} value={level} aria-label={t('selfTest.micLevel')} data-testid="mic-level" />
        </section>
        <section aria-labelledby="network-heading" aria-live="polite">
          <h2 id="network-heading">{t('selfTest.network')}</h2>
          {network.state === 'checking' ? (
            <p>{t('selfTest.checking')}</p>
          ) : (
            <ul className="plain" data-testid="network-result" data-protocol={network.protocol ?? 'none'}>
              {network.rttMs !== undefined && <li>{t('selfTest.rtt', { ms: Math.round(network.rttMs) })}</li>}
              <li>
                {network.protocol === 'udp' ? t('selfTest.udp') : network.protocol === 'tcp' ? t('selfTest.tcp') : t('selfTest.noPath')}
              </li>
            </ul>
          )}
          <button type="button" onClick={() => setAttempt((n) => n + 1)} disabled={network.state === 'checking'}>
            {t('selfTest.retry')}
          </button>
        </section>
      </div>
      <section className={`verdict verdict-${ready ? verdict : 'pending'}`} aria-live="polite" aria-labelledby="verdict-heading">
        <h2 id="verdict-heading">
          {t('selfTest.verdictLabel')}
          <span data-testid="selftest-verdict" data-verdict={ready ? verdict : 'pending'}>
            {ready
              ? t(`selfTest.verdict.${verdict}`)
              : speakers === undefined && checked
                ? t('selfTest.answerSpeakers')
                : t('selfTest.checking')}
          </span>
        </h2>
        {/* The speaker question sits here, in view on a phone: the verdict waits for its answer. */}
        <fieldset className="speaker-question">
          <legend>{t('selfTest.speakerQuestion')}</legend>
          <div className="row">
            <button type="button" onClick={() => void playTestTone()} data-testid="play-tone">
              {t('selfTest.playTone')}
            </button>
            <button type="button" aria-pressed={speakers === true} onClick={() => setSpeakers(true)} data-testid="speaker-heard">
              {t('selfTest.heardTone')}
            </button>
            <button type="button" aria-pressed={speakers === false} onClick={() => setSpeakers(false)} data-testid="speaker-not-heard">
              {t('selfTest.didNotHear')}
            </button>
          </div>
        </fieldset>
        {ready && (
          <ul className="plain advice">
            {advice.map((a) => (
              <li key={a}>{t(`selfTest.advice.${a}`)}</li>
            ))}
          </ul>
        )}
        <button
          type="button"
          className="primary"
          data-testid="join-button"
          disabled={!mayJoin}
          onClick={() => props.onJoin(toSelfTest(input))}
        >
          {t('selfTest.join')}
        </button>
      </section>
    </main>
  );
}
