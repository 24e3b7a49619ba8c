/**
 * bench/first-frame: how soon does an admitted party see the mediator?
 *
 * Starts the real server (built client, embedded Redis, real worker) and
 * Debian's Chromium with fake camera and microphone. Each run schedules a
 * session, opens the mediator's and a party's invite links, and once the
 * party waits, the mediator clicks "admit". Measured: from that click to the
 * first decoded frame of the mediator's video on the party's page (the
 * <video>'s getVideoPlaybackQuality().totalVideoFrames turning non-zero,
 * polled every animation frame). The click precedes the server's admission,
 * so this slightly overstates "admitted → first frame".
 *
 *   npm run build && npx tsx bench/first-frame.ts     (RUNS=10)
 */
import { launchChromium } from '../tests/support/browser.js';
import { startBenchServer } from './server.js';
import { percentile } from './stats.js';

const runs = Number(process.env.RUNS ?? 10);
const server = await startBenchServer({ MEDIA_WORKERS: '1' });
const { post } = server;

const browser = await launchChromium();
const samples: number[] = [];
for (let run = 0; run < runs; run++) {
  const { session } = await post<{ session: { id: string } }>('/sessions', { type: 'mediation', title: `首帧 ${run}` });
  const mediatorUrl = (await post<{ url: string }>(`/sessions/${session.id}/invites`, { role: 'mediator', displayName: '调解员' })).url;
  const partyUrl = (await post<{ url: string }>(`/sessions/${session.id}/invites`, { role: 'party', displayName: '当事人' })).url;

  const mediatorContext = await browser.newContext();
  const partyContext = await browser.newContext();
  const mediator = await mediatorContext.newPage();
  const party = await partyContext.newPage();
  await mediator.goto(mediatorUrl);
  await mediator.getByTestId('join-button').click();
  await party.goto(partyUrl);
  await party.getByTestId('join-button').click();
  await party.getByTestId('waiting-room').waitFor();
  const admit = mediator.getByTestId('admit-button');
  await admit.waitFor();

  const clicked = performance.now();
  await admit.click();
  await party.waitForFunction(
    () => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="video-tile"][data-local="false"] video');
      return video !== null && video.getVideoPlaybackQuality().totalVideoFrames > 0;
    },
    undefined,
    { polling: 'raf', timeout: 20_000 },
  );
  samples.push(performance.now() - clicked);
  await mediatorContext.close();
  await partyContext.close();
}

console.log(`bench/first-frame: ${runs} runs, Chromium with fake devices on loopback, 1 media worker`);
console.log(
  `  admit click → first decoded remote frame  p50 ${percentile(samples, 50).toFixed(0)} ms   p95 ${percentile(samples, 95).toFixed(0)} ms`,
);
console.log(`  samples (ms): ${samples.map((s) => s.toFixed(0)).join(', ')}`);
console.log(`  goal          p50 < 800 ms: ${percentile(samples, 50) < 800 ? 'met' : 'NOT met'}`);

await browser.close();
await server.stop();
