import { useEffect, useRef } from 'react';
import type { Participant } from '../../../../signaling/index.js';

/** A short two-note chime made with WebAudio: no sound file to ship or to fail loading. */
export function beep(): void {
  const context = new AudioContext();
  const gain = context.createGain();
  gain.gain.value = 0.15;
  gain.connect(context.destination);
  [880, 660].forEach((frequency, i) => {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start(context.currentTime + i * 0.18);
    oscillator.stop(context.currentTime + i * 0.18 + 0.15);
  });
  setTimeout(() => void context.close(), 600);
}

/** For hosts: chime once for each person who newly enters the waiting room. */
export function useWaitingAlert(waiting: Participant[], enabled: boolean): void {
  const known = useRef<Set<string>>(new Set(waiting.map((w) => w.seatId)));
  useEffect(() => {
    const fresh = waiting.some((w) => !known.current.has(w.seatId));
    known.current = new Set(waiting.map((w) => w.seatId));
    if (fresh && enabled) {
      try {
        beep();
      } catch {
        // No audio device: the badge still shows.
      }
    }
  }, [waiting, enabled]);
}
