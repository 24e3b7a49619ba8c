/**
 * bench/village-network: a mediator on the office network and a village party
 * behind the userspace weak-link emulator (tests/support/linkEmulator.ts),
 * both in Debian's Chromium with fake camera and microphone, the real server
 * as a child process. Per scenario, a fresh session and fresh browser contexts
 * (empty cache), then:
 *   - page load of /j/<token> in the village: the zh-CN loading text visible
 *     ("something meaningful") and the self-test's join button enabled ("usable");
 *   - admit click → first decoded frame, each direction;
 *   - MEASURE_S seconds (default 20) of WebRTC getStats every 100 ms, per
 *     direction: longest audio gap (a run of samples whose audio was mostly
 *     concealed, DTX silence excluded), concealment % (concealed/total samples),
 *     longest video freeze (longest time without a newly decoded frame),
 *     freezeCount/totalFreezesDuration, mean fps and the last resolution;
 *   - whether the village was offered audio only (RoomClient snapshot, via the UI's data attribute if present).
 * Scenarios: S1 300 kbit/s, 5 % loss, 150 ms RTT, 20 ms jitter; S2 S1 with UDP
 * blocked; S3 100 kbit/s, 5 % loss, 150 ms RTT; S4 S1 for 10 s, 20 s at 30 kbit/s,
 * then clean: time to the first new frame and to the best layer after the throttle.
 * The impairment applies both ways on the village's link.
 *
 *   npm run bench:village        (SCENARIOS=S1,S3 MEASURE_S=20; PAGE_RUNS=5 for page loads at S1 only; TRACE=1 per-second trace)
 * Needs root (network namespaces, TUN), and the shared heavy-CPU lock.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../tests/support/browser.js';
import { createVillage, type Impairment, type Village } from '../tests/support/village.js';
import { keepPeerConnections } from './pageHooks.js';
import { startBenchServer } from './server.js';
import { type Sample, sampleLine, traceLine, uplinkLine } from './villageTrace.js';

const measureS = Number(process.env.MEASURE_S ?? 20);
const only = (process.env.SCENARIOS ?? (process.env.PAGE_RUNS ? '' : 'S1,S2,S3,S4')).split(',');
const s1: Impairment = { rateKbit: 300, lossPercent: 5, delayMs: 75, jitterMs: 20 };
const s3: Impairment = { rateKbit: 100, lossPercent: 5, delayMs: 75, jitterMs: 20 };

/** Bench-only hook (with pageHooks' keepPeerConnections): the SFU's estimate and layer notifications, with their time, for the S4 trace. */
const keepSignals = `(() => {
  const signals = [];
  window.__signals = signals;
  const OriginalWs = window.WebSocket;
  window.WebSocket = class extends OriginalWs {
    constructor(...args) {
      super(...args);
      // A new socket open (SignalWatch's fresh socket after a stall): 'W' in the trace.
      this.addEventListener('open', () => signals.push({ t: performance.now(), type: 'ws:open', data: {} }));
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        const m = /^42\\["(media:downlink|consumer:layers)",(.*)\\]$/.exec(e.data);
        if (m) signals.push({ t: performance.now(), type: m[1], data: JSON.parse(m[2]) });
      });
    }
  };
})()`;

/** Inbound audio and video of the page, summed over its open connections (DTX silence is not concealment). */
const readStatsScript = `(async () => {
  const audio = { concealed: 0, total: 0 };
  let video;
  let uplinkKbit = 0;
  let uplinkLayers = 0;
  // Frames decoded by every received camera stream, summed: the live stream's own counter jumps when the pick moves
  // to another stream (a consumer replaced, say), which read as bursts of 54–262 frames a second.
  let framesAll = 0;
  let lostAll = 0;
  let receivedAll = 0;
  let allowed = 0;
  for (const pc of window.__pcs ?? []) {
    if (pc.connectionState === 'closed') continue;
    const report = await pc.getStats();
    // The browser's own send-side estimate, from the connection that sends the camera, to see how fast it climbs back.
    let sends = false;
    let estimate = 0;
    report.forEach((s) => {
      if (s.type === 'outbound-rtp' && s.kind === 'video') {
        sends = true;
        // The camera layers Chrome sends now (encodings active and encoding), to see the uplink governor's effect.
        // frameWidth stays at the last frame of a layer no longer sent; framesPerSecond is there only while it is.
        if (s.active !== false && (s.framesPerSecond ?? 0) > 0) uplinkLayers = Math.max(uplinkLayers, s.frameWidth ?? 0);
      }
      if (s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate) estimate = Math.max(estimate, s.availableOutgoingBitrate / 1000);
    });
    if (sends) uplinkKbit = estimate;
    // The encodings the uplink governor allows (setMaxSpatialLayer), whatever Chrome's allocator then sends.
    for (const sender of pc.getSenders())
      if (sender.track?.kind === 'video') allowed = sender.getParameters().encodings.filter((e) => e.active).length;
    report.forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'audio') {
        audio.concealed += (s.concealedSamples ?? 0) - (s.silentConcealedSamples ?? 0);
        audio.total += s.totalSamplesReceived ?? 0;
      } else if (s.kind === 'video' && s.trackIdentifier !== 'probator') {
        framesAll += s.framesDecoded ?? 0;
        lostAll += Math.max(0, s.packetsLost ?? 0);
        receivedAll += s.packetsReceived ?? 0;
      }
      // mediasoup's probation stream (its bandwidth probes, track 'probator') carries no picture.
      if (s.kind === 'video' && s.trackIdentifier !== 'probator' && (!video || (s.lastPacketReceivedTimestamp ?? 0) >= video.lastPacketAt)) {
        // The live stream: the one with the latest packet, not the last one listed (a stale one read 0x0 for 10 s once).
        video = {
          lastPacketAt: s.lastPacketReceivedTimestamp ?? 0,
          frames: s.framesDecoded ?? 0, fps: s.framesPerSecond ?? 0, width: s.frameWidth ?? 0, height: s.frameHeight ?? 0,
          freezeCount: s.freezeCount ?? 0, freezeS: s.totalFreezesDuration ?? 0,
        };
      }
    });
  }
  if (video) Object.assign(video, { frames: framesAll, lost: lostAll, received: receivedAll });
  // Video deliberately paused for a link that cannot carry it: the tiles show the placeholder, not a frozen frame.
  const paused = document.querySelector('[data-testid="video-paused-for-link"]') !== null;
  const signals = (window.__signals ?? []).splice(0);
  return { t: performance.now(), audio, video, paused, uplinkKbit, uplinkWidth: uplinkLayers, uplinkAllowed: allowed, signals };
})()`;

function readStats(page: Page): Promise<Sample> {
  return page.evaluate(readStatsScript) as Promise<Sample>;
}

type Direction = {
  audioGapS: number;
  concealPct: number;
  freezeS: number;
  freezes: string;
  fps: number;
  resolution: string;
  /** Seconds with received video paused by the client's downlink guard (not counted as freeze). */
  pausedS: number;
  firstFrameS: number;
};

async function measure(page: Page, seconds: number, onSample?: (s: Sample) => void): Promise<Omit<Direction, 'firstFrameS'>> {
  const samples: Sample[] = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const sample = await readStats(page);
    samples.push(sample);
    onSample?.(sample);
    await page.waitForTimeout(100);
  }
  let gap = 0;
  let longestGap = 0;
  let freezeFrom = samples[0]?.t ?? 0;
  let longestFreeze = 0;
  let pausedS = 0;
  const fps: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const [a, b] = [samples[i - 1] as Sample, samples[i] as Sample];
    const dt = (b.t - a.t) / 1000;
    const heard = b.audio.total - a.audio.total;
    const concealed = b.audio.concealed - a.audio.concealed;
    gap = heard > 0 && concealed / heard > 0.5 ? gap + dt : 0;
    longestGap = Math.max(longestGap, gap);
    if ((b.video?.frames ?? 0) > (a.video?.frames ?? 0) || b.paused) freezeFrom = b.t;
    if (b.paused) pausedS += dt;
    longestFreeze = Math.max(longestFreeze, (b.t - freezeFrom) / 1000);
    if (b.video) fps.push(b.video.fps);
  }
  const first = samples[0] as Sample;
  const last = samples.at(-1) as Sample;
  const heard = last.audio.total - first.audio.total;
  return {
    audioGapS: longestGap,
    concealPct: heard > 0 ? ((last.audio.concealed - first.audio.concealed) / heard) * 100 : Number.NaN,
    freezeS: longestFreeze,
    freezes: `${(last.video?.freezeCount ?? 0) - (first.video?.freezeCount ?? 0)}/${((last.video?.freezeS ?? 0) - (first.video?.freezeS ?? 0)).toFixed(1)}s`,
    fps: fps.length ? fps.reduce((x, y) => x + y, 0) / fps.length : 0,
    resolution: last.video ? `${last.video.width}x${last.video.height}` : 'none',
    pausedS,
  };
}

async function firstFrame(page: Page, side: string): Promise<number> {
  const start = performance.now();
  await page
    .waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLVideoElement>('[data-testid="video-tile"][data-local="false"] video')].some(
          (v) => v.getVideoPlaybackQuality().totalVideoFrames > 0,
        ),
      undefined,
      { polling: 100, timeout: 60_000 },
    )
    .catch(async (err: unknown) => {
      // Say which side saw nothing, and what its page showed, rather than only that a wait timed out.
      const shown = await page
        .evaluate(() =>
          [...document.querySelectorAll('[data-testid="video-tile"]')]
            .map((t) => `${t.getAttribute('data-local')}:${t.querySelector('video') ? 'video' : 'no video'}:${t.textContent?.slice(0, 40)}`)
            .join(' | '),
        )
        .catch(() => 'page gone');
      throw new Error(`no first frame on the ${side}'s page within 60 s; tiles: ${shown}`, { cause: err });
    });
  return (performance.now() - start) / 1000;
}

/** /j/<token> on an empty cache: the loading text visible ("meaningful") and the self-test's join button enabled ("usable"). */
async function loadInvite(party: Page, url: string): Promise<{ loadMeaningfulS: number; loadUsableS: number }> {
  const loadStart = performance.now();
  await party.goto(url, { waitUntil: 'commit', timeout: 120_000 });
  await party.getByText('正在加载').or(party.getByTestId('join-button')).first().waitFor({ timeout: 120_000 });
  const loadMeaningfulS = (performance.now() - loadStart) / 1000;
  await party.waitForFunction(
    () => document.querySelector<HTMLButtonElement>('[data-testid="join-button"]')?.disabled === false,
    undefined,
    { polling: 100, timeout: 120_000 },
  );
  return { loadMeaningfulS, loadUsableS: (performance.now() - loadStart) / 1000 };
}

/** PAGE_RUNS=n: only the page load at S1's link, n times, each in a fresh context (empty cache), and what it fetched. */
async function pageRuns(
  runs: number,
  ctx: { village: Village; villageBrowser: Browser; post: <T>(p: string, b: unknown) => Promise<T>; origin: string },
) {
  await ctx.village.restore();
  await ctx.village.impair({ up: s1, down: s1 });
  const { session } = await ctx.post<{ session: { id: string } }>('/sessions', { type: 'mediation', title: '村 page' });
  for (let i = 0; i < runs; i++) {
    const { url } = await ctx.post<{ url: string }>(`/sessions/${session.id}/invites`, { role: 'party', displayName: `村民${i}` });
    const page = await (await ctx.villageBrowser.newContext()).newPage();
    const fetched: string[] = [];
    page.on('requestfinished', (r) => {
      void r
        .sizes()
        .then((z) =>
          fetched.push(`${new URL(r.url()).pathname.replace(/-[A-Za-z0-9_-]{8}\./, '.')} ${(z.responseBodySize / 1024).toFixed(1)} kB`),
        );
    });
    const { loadMeaningfulS, loadUsableS } = await loadInvite(page, url.replace(/^http:\/\/[^/]+/, ctx.origin));
    // When each response started and ended, from the page's own clock (navigation start = 0).
    const timing = (await page.evaluate(
      `[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((e) => [e.name.replace(/^.*\\//, ''), Math.round(e.startTime), Math.round(e.responseStart), Math.round(e.responseEnd)])`,
    )) as [string, number, number, number][];
    console.log(
      `page run ${i + 1}: text ${loadMeaningfulS.toFixed(1)} s, usable ${loadUsableS.toFixed(1)} s; fetched by then: ${fetched.join(', ')}`,
    );
    console.log(`  ms (start/first byte/end): ${timing.map(([n, a, b, c]) => `${n.slice(0, 18)} ${a}/${b}/${c}`).join(', ')}`);
    await page.context().close();
  }
}

type Row = {
  scenario: string;
  loadMeaningfulS: number;
  loadUsableS: number;
  audioOnlyOffered: string;
  toVillage: Direction;
  fromVillage: Direction;
  extra: string;
};

async function scenario(
  name: string,
  link: { impairment: Impairment; blockUdp?: boolean },
  ctx: { village: Village; office: Browser; villageBrowser: Browser; post: <T>(p: string, b: unknown) => Promise<T>; origin: string },
  throttle?: boolean,
): Promise<Row> {
  const { village, post, origin } = ctx;
  await village.restore();
  if (link.blockUdp) await village.blockUdp();
  await village.impair({ up: link.impairment, down: link.impairment });
  const reachable = (url: string) => url.replace(/^http:\/\/[^/]+/, origin);
  const { session } = await post<{ session: { id: string } }>('/sessions', { type: 'mediation', title: `村 ${name}` });
  const mediatorUrl = reachable(
    (await post<{ url: string }>(`/sessions/${session.id}/invites`, { role: 'mediator', displayName: '调解员' })).url,
  );
  const partyUrl = reachable((await post<{ url: string }>(`/sessions/${session.id}/invites`, { role: 'party', displayName: '村民' })).url);

  const mediator = await (await ctx.office.newContext()).newPage();
  await mediator.addInitScript(keepPeerConnections);
  await mediator.addInitScript(keepSignals);
  await mediator.goto(mediatorUrl);
  await mediator.getByTestId('join-button').click();

  const party = await (await ctx.villageBrowser.newContext()).newPage();
  await party.addInitScript(keepPeerConnections);
  await party.addInitScript(keepSignals);
  const { loadMeaningfulS, loadUsableS } = await loadInvite(party, partyUrl);
  await party.getByTestId('join-button').click();
  await party.getByTestId('waiting-room').waitFor({ timeout: 60_000 });
  await mediator.locator('[data-testid="waiting-entry"][data-name="村民"]').getByTestId('admit-button').click();
  const [toVillageFirst, fromVillageFirst] = await Promise.all([firstFrame(party, 'village'), firstFrame(mediator, 'mediator')]);

  let extra = '';
  let toVillage: Omit<Direction, 'firstFrameS'>;
  let fromVillage: Omit<Direction, 'firstFrameS'>;
  if (!throttle) {
    // TRACE=1: what each side received, per second (as the S4 trace), to see where a freeze comes from.
    const traces = { party: [] as { at: number; s: Sample }[], mediator: [] as { at: number; s: Sample }[] };
    const started = performance.now();
    const keep = (side: keyof typeof traces) =>
      process.env.TRACE ? (s: Sample) => traces[side].push({ at: performance.now(), s }) : undefined;
    [toVillage, fromVillage] = await Promise.all([measure(party, measureS, keep('party')), measure(mediator, measureS, keep('mediator'))]);
    if (process.env.TRACE)
      extra = `\n  per second (frames, P = placeholder, SFU estimate kbit/s, layers): to village ${traceLine(traces.party, started)}\n  from village ${traceLine(traces.mediator, started)}\n  village uplink (estimate kbit/s / widest px sent / layers allowed): ${uplinkLine(traces.party, started)}`;
  } else {
    await party.waitForTimeout(10_000);
    await village.impair({ up: { ...link.impairment, rateKbit: 30 }, down: { ...link.impairment, rateKbit: 30 } });
    // What the village receives, per second, from the throttle on: frames, the guard, the SFU's estimate and layers.
    const trace: { at: number; s: Sample }[] = [];
    const record = (s: Sample) => trace.push({ at: performance.now(), s });
    await measure(party, 20, record);
    await village.restore();
    const cleared = performance.now();
    // After the throttle: the first newly decoded frame, and when each side reaches the widest picture it gets in the window.
    const back: Record<string, { frames: number; backS?: number; widths: [number, number][] }> = {};
    // The village's own uplink estimate (Chrome's availableOutgoingBitrate): what carries its camera to the mediator.
    const villageUplink: [number, number, number, number][] = [];
    const mediatorTrace: { at: number; s: Sample }[] = [];
    const watch = (side: string) => (s: Sample) => {
      const entry = back[side] ?? { frames: s.video?.frames ?? 0, widths: [] };
      back[side] = entry;
      const t = (performance.now() - cleared) / 1000;
      // Back means on screen: a newly decoded frame with the placeholder gone. Frames since the previous sample: the
      // sum drops when a stream closes (the village's camera moved to a fresh connection).
      const frames = s.video?.frames ?? 0;
      if (entry.backS === undefined && frames > entry.frames && !s.paused) entry.backS = t;
      entry.frames = frames;
      entry.widths.push([t, s.paused ? 0 : (s.video?.width ?? 0)]);
    };
    [toVillage, fromVillage] = await Promise.all([
      measure(party, measureS, (s) => {
        record(s);
        watch('toVillage')(s);
        villageUplink.push([(performance.now() - cleared) / 1000, s.uplinkKbit, s.uplinkWidth, s.uplinkAllowed]);
      }),
      measure(mediator, measureS, (s) => {
        mediatorTrace.push({ at: performance.now(), s });
        watch('fromVillage')(s);
      }),
    ]);
    // From the throttle on (the trace holds its samples too), seconds relative to the clear.
    const before = trace
      .filter(({ at }) => at < cleared)
      .map(({ at, s }): [number, number, number, number] => [(at - cleared) / 1000, s.uplinkKbit, s.uplinkWidth, s.uplinkAllowed]);
    const uplinkAt = [-18, -10, -1, 1, 2, 3, 4, 5, 6, 8, 10, 12].map((at) => {
      const [, kbit, width, allowed] = [...before, ...villageUplink].find(([t]) => t >= at) ?? [0, 0, 0, 0];
      return `${at}s:${Math.round(kbit)}/${width}px/${allowed}`;
    });
    extra = Object.entries(back)
      .map(([side, e]) => {
        const best = Math.max(...e.widths.map(([, w]) => w));
        const reached = e.widths.find(([, w]) => w === best)?.[0] ?? Number.NaN;
        const uplink =
          side === 'fromVillage' ? ` (village's uplink estimate kbit/s / widest layer sent / layers allowed: ${uplinkAt.join(' ')})` : '';
        return `${side}: video back ${e.backS?.toFixed(1) ?? '—'} s, best ${best}px wide at ${reached.toFixed(1)} s${uplink}`;
      })
      .join('; ');
    extra += `\n  village per second (t from clear: frames decoded, P = placeholder, SFU estimate kbit/s, layers): ${traceLine(trace, cleared)}`;
    extra += `\n  village every 100 ms, 0-6 s (frames, P = placeholder): ${sampleLine(trace, cleared, 0, 6)}`;
    extra += `\n  mediator every 100 ms, 0-6 s: ${sampleLine(mediatorTrace, cleared, 0, 6)}`;
    extra += `\n  mediator per second (the village's camera; SFU estimate of the mediator's downlink): ${traceLine(mediatorTrace, cleared)}`;
  }
  const offered = await party.locator('[data-audio-only-suggested="true"]').count();
  await mediator.context().close();
  await party.context().close();
  return {
    scenario: name,
    loadMeaningfulS,
    loadUsableS,
    audioOnlyOffered: offered > 0 ? 'yes' : 'no/not shown',
    toVillage: { ...toVillage, firstFrameS: toVillageFirst },
    fromVillage: { ...fromVillage, firstFrameS: fromVillageFirst },
    extra,
  };
}

const village = await createVillage();
const server = await startBenchServer({ HOST: '0.0.0.0', RTC_LISTEN_IP: '0.0.0.0', RTC_ANNOUNCED_IP: village.hostIp, MEDIA_WORKERS: '1' });
const origin = `http://${village.hostIp}:${new URL(server.url).port}`;
const secure = [`--unsafely-treat-insecure-origin-as-secure=${origin}`];
const office = await launchChromium(secure);
const villageBrowser = await village.launchBrowser([], origin);
const ctx = { village, office, villageBrowser, post: server.post, origin };
const rows: Row[] = [];
try {
  if (process.env.PAGE_RUNS) await pageRuns(Number(process.env.PAGE_RUNS), ctx);
  if (only.includes('S1')) rows.push(await scenario('S1 300k 5% 150ms', { impairment: s1 }, ctx));
  if (only.includes('S3')) rows.push(await scenario('S3 100k 5% 150ms', { impairment: s3 }, ctx));
  if (only.includes('S4')) rows.push(await scenario('S4 S1→30k 20s→clean', { impairment: s1 }, ctx, true));
  // Last: the village cannot unblock UDP (restore() keeps the block), so S3 and S4 after S2 ran over TCP.
  if (only.includes('S2')) rows.push(await scenario('S2 S1+UDP blocked', { impairment: s1, blockUdp: true }, ctx));
} finally {
  await villageBrowser.close();
  await office.close();
  await server.stop();
  village.close();
}

const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');
console.log(`bench/village-network: ${measureS} s per scenario, impairment both ways on the village link, 1 media worker`);
console.log(
  'scenario               | dir        | 1st frame | audio gap | conceal | freeze | freezes(n/total) | fps  | res       | page: text / usable',
);
for (const r of rows) {
  for (const [dir, d] of [
    ['to village', r.toVillage],
    ['from village', r.fromVillage],
  ] as const) {
    console.log(
      `${r.scenario.padEnd(22)} | ${dir.padEnd(12)} | ${f(d.firstFrameS).padStart(7)} s | ${f(d.audioGapS).padStart(7)} s | ${f(d.concealPct).padStart(5)} % | ${f(d.freezeS).padStart(4)} s | ${d.freezes.padStart(16)} | ${f(d.fps, 0).padStart(4)} | ${d.resolution.padEnd(9)} | ${dir === 'to village' ? `${f(r.loadMeaningfulS)} s / ${f(r.loadUsableS)} s` : ''}`,
    );
  }
  const paused = [r.toVillage, r.fromVillage].some((d) => d.pausedS > 0)
    ? `; video paused for the link: to village ${f(r.toVillage.pausedS)} s, from village ${f(r.fromVillage.pausedS)} s`
    : '';
  console.log(`${''.padEnd(22)}   audio only offered to the village: ${r.audioOnlyOffered}${paused}${r.extra ? `; ${r.extra}` : ''}`);
}
console.log('goals: S1/S2 audio gap ≤ 0.5 s, freeze ≤ 1.5 s; S3 audio gap ≤ 0.5 s, freeze ≤ 2 s, audio only offered;');
console.log('       S4 video back ≤ 3 s, best layer ≤ 8 s; page text ≤ 2 s, self-test usable ≤ 6 s at 300 kbit/s');
