import type { SelfTest } from '../../../signaling/index.js';

export type SelfTestInput = {
  camera: boolean;
  microphone: boolean;
  /** The person said they heard the test tone; undefined if they skipped it. */
  speakers: boolean | undefined;
  rttMs: number | undefined;
  /** Which protocol reached the SFU; null if nothing did. */
  protocol: 'udp' | 'tcp' | null | undefined;
  audioOnly: boolean;
};

/** Message keys (see the i18n catalogues) explaining what to do about each problem found. */
export type Advice =
  | 'noMicrophone'
  | 'noCamera'
  | 'noSpeakers'
  | 'noConnection'
  | 'tcpOnly'
  | 'slowNetwork'
  | 'verySlowNetwork'
  | 'allGood';

/**
 * The self-test's plain verdict, modelled on HMCTS Video Hearings:
 * Bad when the person cannot take part (no microphone, no connection to the
 * media server, a round trip over a second); Okay when they can but it may
 * be rough (no camera or audio only, UDP blocked so media goes over TCP, a
 * slow round trip, speakers not confirmed); Good otherwise.
 */
export function selfTestVerdict(input: SelfTestInput): { verdict: SelfTest['verdict']; advice: Advice[] } {
  const bad: Advice[] = [];
  const okay: Advice[] = [];
  if (!input.microphone) bad.push('noMicrophone');
  if (input.protocol === null) bad.push('noConnection');
  if (input.rttMs !== undefined && input.rttMs > 1000) bad.push('verySlowNetwork');
  if (!input.camera && !input.audioOnly) okay.push('noCamera');
  if (input.speakers === false) okay.push('noSpeakers');
  if (input.protocol === 'tcp') okay.push('tcpOnly');
  if (input.rttMs !== undefined && input.rttMs > 300 && input.rttMs <= 1000) okay.push('slowNetwork');
  if (bad.length > 0) return { verdict: 'bad', advice: [...bad, ...okay] };
  if (okay.length > 0) return { verdict: 'okay', advice: okay };
  return { verdict: 'good', advice: ['allGood'] };
}

export function toSelfTest(input: SelfTestInput): SelfTest {
  return {
    verdict: selfTestVerdict(input).verdict,
    camera: input.camera,
    microphone: input.microphone,
    audioOnly: input.audioOnly,
    ...(input.rttMs !== undefined ? { rttMs: Math.round(input.rttMs) } : {}),
    ...(input.protocol !== undefined ? { udp: input.protocol === 'udp' } : {}),
  };
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
