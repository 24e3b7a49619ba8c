import { useEffect, useState } from 'react';

export type LocalMedia = {
  stream: MediaStream | undefined;
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
  /** getUserMedia has answered (with a stream or a refusal). */
  probed: boolean;
};

/**
 * The camera and microphone the person picked (or the defaults), as one
 * stream. Falls back to microphone only when there is no usable camera.
 */
export function useLocalMedia(cameraId: string | undefined, microphoneId: string | undefined, audioOnly: boolean): LocalMedia {
  const [media, setMedia] = useState<LocalMedia>({ stream: undefined, cameras: [], microphones: [], probed: false });

  useEffect(() => {
    let cancelled = false;
    let acquired: MediaStream | undefined;
    const devices = navigator.mediaDevices;
    const audio: MediaTrackConstraints | boolean = microphoneId ? { deviceId: { exact: microphoneId } } : true;
    // 720p where the camera has it (ideal, not exact): the top simulcast layer then carries a sharp picture for documents held up.
    const video: MediaTrackConstraints | false = audioOnly
      ? false
      : { width: { ideal: 1280 }, height: { ideal: 720 }, ...(cameraId ? { deviceId: { exact: cameraId } } : {}) };
    const attempt = async (): Promise<MediaStream | undefined> => {
      if (!devices?.getUserMedia) return undefined;
      try {
        return await devices.getUserMedia({ audio, video });
      } catch {
        return video ? devices.getUserMedia({ audio }).catch(() => undefined) : undefined;
      }
    };
    void attempt().then(async (stream) => {
      acquired = stream;
      const all = (await devices?.enumerateDevices().catch(() => [])) ?? [];
      if (cancelled) {
        for (const t of stream?.getTracks() ?? []) t.stop();
        return;
      }
      setMedia({
        stream,
        cameras: all.filter((d) => d.kind === 'videoinput'),
        microphones: all.filter((d) => d.kind === 'audioinput'),
        probed: true,
      });
    });
    return () => {
      cancelled = true;
      for (const t of acquired?.getTracks() ?? []) t.stop();
    };
  }, [cameraId, microphoneId, audioOnly]);

  return media;
}

/** The microphone's loudness, 0 to 1, about ten times a second. */
export function useMicLevel(stream: MediaStream | undefined): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    const track = stream?.getAudioTracks()[0];
    if (!stream || !track) return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (const s of samples) peak = Math.max(peak, Math.abs(s - 128) / 128);
      setLevel(peak);
    }, 100);
    return () => {
      clearInterval(timer);
      void context.close();
    };
  }, [stream]);
  return level;
}

/** Plays a short 440 Hz tone through the default output, for the speaker test. */
export async function playTestTone(): Promise<void> {
  const context = new AudioContext();
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  gain.gain.value = 0.2;
  oscillator.frequency.value = 440;
  oscillator.connect(gain).connect(context.destination);
  oscillator.start();
  await new Promise((resolve) => setTimeout(resolve, 1200));
  oscillator.stop();
  await context.close();
}
