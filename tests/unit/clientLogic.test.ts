import { describe, expect, it } from 'vitest';
import { LayerGovernor } from '../../client/src/room/LayerGovernor.js';
import { selfTestVerdict, toSelfTest } from '../../client/src/room/selfTest.js';
import { qualityBetween } from '../../client/src/room/stats.js';

const base = { camera: true, microphone: true, speakers: true, rttMs: 40, protocol: 'udp' as const, audioOnly: false };

describe('self-test verdict', () => {
  it('is good when everything works', () => {
    expect(selfTestVerdict(base)).toEqual({ verdict: 'good', advice: ['allGood'] });
  });

  it('is okay when the person can take part but it may be rough', () => {
    expect(selfTestVerdict({ ...base, protocol: 'tcp' })).toEqual({ verdict: 'okay', advice: ['tcpOnly'] });
    expect(selfTestVerdict({ ...base, camera: false }).advice).toEqual(['noCamera']);
    expect(selfTestVerdict({ ...base, camera: false, audioOnly: true }).verdict).toBe('good');
    expect(selfTestVerdict({ ...base, rttMs: 450 }).advice).toEqual(['slowNetwork']);
    expect(selfTestVerdict({ ...base, speakers: false }).advice).toEqual(['noSpeakers']);
  });

  it('is bad when the person cannot take part, and lists every problem', () => {
    expect(selfTestVerdict({ ...base, microphone: false, protocol: 'tcp' })).toEqual({
      verdict: 'bad',
      advice: ['noMicrophone', 'tcpOnly'],
    });
    expect(selfTestVerdict({ ...base, protocol: null }).verdict).toBe('bad');
    expect(selfTestVerdict({ ...base, rttMs: 1500 }).advice).toEqual(['verySlowNetwork']);
  });

  it('reports what the host needs to see', () => {
    expect(toSelfTest({ ...base, protocol: 'tcp', rttMs: 123.4 })).toEqual({
      verdict: 'okay',
      camera: true,
      microphone: true,
      audioOnly: false,
      rttMs: 123,
      udp: false,
    });
  });
});

describe('connection quality (HMCTS bands on recent loss)', () => {
  const sample = (received: number, lost: number) => ({ bytesReceived: 0, framesDecoded: 0, packetsReceived: received, packetsLost: lost });
  it('rates loss over the last interval, not since the start', () => {
    expect(qualityBetween(undefined, sample(950, 50))).toBe('good'); // 5%
    expect(qualityBetween(sample(1000, 0), sample(1090, 10))).toBe('poor'); // 10 of 100
    expect(qualityBetween(sample(1000, 0), sample(1085, 15))).toBe('bad'); // 15 of 100
    expect(qualityBetween(sample(1000, 500), sample(1100, 500))).toBe('good'); // old loss does not count
    expect(qualityBetween(sample(5, 0), sample(5, 0))).toBe('good'); // nothing arrived: no verdict
  });
});

describe('layer governor', () => {
  it('steps down after two bad samples and back up after four good ones', () => {
    const governor = new LayerGovernor();
    expect(governor.observe('c', 'bad')).toBeUndefined();
    expect(governor.observe('c', 'poor')).toBe(1);
    expect(governor.observe('c', 'bad')).toBeUndefined();
    expect(governor.observe('c', 'bad')).toBe(0);
    expect(governor.observe('c', 'bad')).toBeUndefined();
    expect(governor.observe('c', 'bad')).toBeUndefined(); // already at the bottom
    for (let i = 0; i < 2; i++) expect(governor.observe('c', 'good')).toBeUndefined();
    expect(governor.observe('c', 'good')).toBe(1);
    expect(governor.layer('c')).toBe(1);
  });

  it('does not flap on a single bad sample between good ones', () => {
    const governor = new LayerGovernor();
    for (const q of ['good', 'bad', 'good', 'bad', 'good'] as const) expect(governor.observe('c', q)).toBeUndefined();
    expect(governor.layer('c')).toBe(2);
  });
});
