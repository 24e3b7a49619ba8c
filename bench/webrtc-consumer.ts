/**
 * bench/webrtc-consumer: what one real WebRTC consumer costs the worker,
 * beyond what bench/sfu-capacity measures for a PlainTransport consumer.
 *
 * There is no light WebRTC client here, so this measures a real session: the
 * product server in this process (one media worker pinned to core 0), and
 * Debian's Chromium on core 1 with fake devices. A mediator publishes camera
 * (three simulcast layers) and mic; first alone, then with RECEIVERS observers
 * (旁听, receive-only) admitted, each consuming the mediator's audio and video
 * over its own WebRTC transport (ICE, DTLS-SRTP, transport-cc, RTCP, NACK,
 * simulcast layer selection). After WARMUP_S (the mediator's simulcast ramps
 * up), stages, each measured for SECONDS with the worker's rusage: the mediator
 * alone, with the receivers, and alone again after the receivers left (the
 * two "alone" figures show drift; their mean is the baseline):
 *   worker CPU per consumer = (CPU with receivers - CPU alone) / consumers;
 *   µs per forwarded packet = that CPU difference / RTP packets the consumers sent
 *   (consumer getStats, read outside the measured window).
 * What a WebRTC consumer adds beyond a PlainTransport one: this µs per packet
 * minus bench/sfu-capacity's SRTP PlainTransport µs per packet (PLAIN_SRTP_US),
 * times the packets a consumer forwards; the result is also shown as consumer
 * endpoints per core at the capacity bench's packet rate (95 packets/s each).
 *
 *   npm run bench:webrtc-consumer     (RECEIVERS=4 SECONDS=15 WARMUP_S=15 PLAIN_SRTP_US=<from bench:sfu-capacity>)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { types } from 'mediasoup';
import type { Page } from 'playwright-core';
import { startCourtLink } from '../server/app.js';
import { loadConfig } from '../server/config/index.js';
import { createLogger } from '../server/log/index.js';
import { launchChromium } from '../tests/support/browser.js';
import { admitFromUi, openInvite, waitForMediaFrom } from '../tests/support/room.js';
import { keepPeerConnections } from './pageHooks.js';
import { pin, prioritise, prioritiseSession } from './sfu-capacity-probe.js';

const receivers = Number(process.env.RECEIVERS ?? 4);
const seconds = Number(process.env.SECONDS ?? 15);
const plainSrtpUs = Number(process.env.PLAIN_SRTP_US ?? Number.NaN);
/** bench/sfu-capacity's load: per consumer endpoint 50 Opus + 45 VP8 packets a second. */
const capacityPacketsPerEndpoint = 95;
const warmupSeconds = Number(process.env.WARMUP_S ?? 15);

// Children (the worker, Chromium) inherit this process's core; the worker is then moved to core 0.
pin(process.pid, 1);
const dataDir = mkdtempSync(join(tmpdir(), 'courtlink-bench-'));
const server = await startCourtLink(
  loadConfig({ PORT: '0', DATA_DIR: dataDir, MEDIA_WORKERS: '1', RTC_PORT: '0', LOG_LEVEL: 'warn' }),
  createLogger('warn'),
);
const workerPid = server.pool.pids()[0] as number;
pin(workerPid, 0);
// The machine is shared: at nice -20 the worker is not starved by other jobs that float onto core 0.
prioritise(workerPid, -20);
prioritiseSession(workerPid, -20);
const staff = server.tokens.signStaff({ sub: 'bench', staffRole: 'admin' }, 3600);
async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${server.url}/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const { session } = await post<{ session: { id: string } }>('/sessions', { type: 'hearing', title: '旁听 bench' });
const invite = async (role: string, displayName: string) =>
  (await post<{ url: string }>(`/sessions/${session.id}/invites`, { role, displayName })).url;
const browser = await launchChromium();
const mediator = await openInvite(browser, await invite('mediator', '调解员'));
await mediator.getByTestId('video-tile').first().waitFor();

const room = await (await server.sessions.require(session.id)).media.room();
const consumers = (): types.Consumer[] => [...room.peers.values()].flatMap((peer) => [...peer.consumers.values()]);
async function packetsSent(list: types.Consumer[]): Promise<number> {
  const stats = await Promise.all(list.map((c) => c.getStats()));
  return stats.flat().reduce((sum, s) => sum + (s.type === 'outbound-rtp' ? s.packetCount : 0), 0);
}
async function packetsReceived(): Promise<number> {
  const producers = [...room.peers.values()].flatMap((peer) => [...peer.producers.values()]);
  const stats = await Promise.all(producers.map((p) => p.getStats()));
  return stats.flat().reduce((sum, s) => sum + (s.type === 'inbound-rtp' ? s.packetCount : 0), 0);
}
/** The worker's own rusage (microsecond resolution, where /proc counts 10 ms ticks), in seconds. */
async function workerCpuSeconds(): Promise<number> {
  const [usage] = await server.pool.usage();
  return usage ? (usage.cpu.userMs + usage.cpu.systemMs) / 1000 : Number.NaN;
}
type Window = { cpu: number; forwarded: number; received: number };
/** Worker CPU as a share of a core over one window, RTP packets the consumers sent and the producers received per second. */
async function measure(): Promise<Window> {
  await sleep(3000);
  const list = consumers();
  const [sent0, received0] = [await packetsSent(list), await packetsReceived()];
  const cpu0 = await workerCpuSeconds();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const cpu = ((await workerCpuSeconds()) - cpu0) / ((performance.now() - t0) / 1000);
  const [sent1, received1] = [await packetsSent(list), await packetsReceived()];
  return { cpu, forwarded: (sent1 - sent0) / seconds, received: (received1 - received0) / seconds };
}

// The mediator's simulcast layers and bitrate ramp up for several seconds: measure the baseline after that.
await sleep(warmupSeconds * 1000);
const aloneBefore = await measure();
/** The SRTP suites DTLS chose on the page's connections (bench/sfu-capacity measures AES_CM_128_HMAC_SHA1_80 and AEAD_AES_256_GCM). */
const readSrtpCiphers = `(async () => {
  const ciphers = [];
  for (const pc of window.__pcs) {
    (await pc.getStats()).forEach((s) => { if (s.type === 'transport' && s.srtpCipher) ciphers.push(s.srtpCipher); });
  }
  return ciphers;
})()`;
async function openObserver(url: string): Promise<Page> {
  const context = await browser.newContext();
  await context.addInitScript(keepPeerConnections);
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('join-button').click();
  return page;
}

const pages: Page[] = [];
for (let i = 0; i < receivers; i++) {
  const name = `旁听${i + 1}`;
  const page = await openObserver(await invite('observer', name));
  await admitFromUi(mediator, name);
  await waitForMediaFrom(page, ['调解员']);
  pages.push(page);
}
const count = consumers().length;
const srtpCiphers = new Set((await Promise.all(pages.map((page) => page.evaluate(readSrtpCiphers) as Promise<string[]>))).flat());
const withReceivers = await measure();
for (const page of pages) await page.context().close();
// The server keeps a closed page's seat, transports and consumers until its socket times out (they go on
// sending to a dead port meanwhile): measure "alone after" only once they are gone.
const leftBy = performance.now() + 90_000;
while (consumers().length > 0 && performance.now() < leftBy) await sleep(500);
const leftovers = consumers().length;
const aloneAfter = await measure();
const alone = { cpu: (aloneBefore.cpu + aloneAfter.cpu) / 2 };
const perConsumer = (withReceivers.cpu - alone.cpu) / count;
const usPerPacket = ((withReceivers.cpu - alone.cpu) * 1e6) / withReceivers.forwarded;
const packetsPerConsumer = withReceivers.forwarded / count;

console.log(`bench/webrtc-consumer: ${receivers} Chromium receivers, ${count} WebRTC consumers, ${seconds} s windows, worker on core 0`);
console.log(
  `  worker CPU, mediator publishing alone:   ${(alone.cpu * 100).toFixed(2)} % of a core (before ${(aloneBefore.cpu * 100).toFixed(2)} %, after ${(aloneAfter.cpu * 100).toFixed(2)} %)`,
);
console.log(`  SRTP suite DTLS chose (receivers' transports): ${[...srtpCiphers].join(', ') || 'none reported'}`);
console.log(`  worker CPU, with the receivers:          ${(withReceivers.cpu * 100).toFixed(2)} % of a core`);
if (leftovers > 0) console.log(`  (${leftovers} consumers were still open on the server in the "after" window)`);
console.log(
  `  packets the mediator's producers got:    ${aloneBefore.received.toFixed(0)} /s alone, ${withReceivers.received.toFixed(0)} /s with receivers, ${aloneAfter.received.toFixed(0)} /s alone after`,
);
console.log(`  per WebRTC consumer:                     ${(perConsumer * 100).toFixed(2)} % of a core`);
console.log(
  `  packets forwarded:                       ${withReceivers.forwarded.toFixed(0)} /s (${packetsPerConsumer.toFixed(1)} per consumer)`,
);
console.log(`  worker µs per forwarded packet:          ${usPerPacket.toFixed(1)}`);
console.log(`  => consumer endpoints (audio+video) per core at 80 %: ${(0.8 / (2 * perConsumer)).toFixed(0)} at this packet rate`);
if (Number.isFinite(plainSrtpUs)) {
  // What the WebRTC consumer costs beyond forwarding the same packets over an SRTP PlainTransport.
  const extraUs = usPerPacket - plainSrtpUs;
  const extraPerConsumer = (extraUs * packetsPerConsumer) / 1e6;
  const perEndpointAtCapacityRate = (usPerPacket * capacityPacketsPerEndpoint) / 1e6;
  console.log(`  SRTP PlainTransport µs per packet (given): ${plainSrtpUs.toFixed(1)}`);
  console.log(
    `  WebRTC extra per packet:                 ${extraUs.toFixed(1)} µs (${(usPerPacket / plainSrtpUs).toFixed(2)}x); per consumer ${(extraPerConsumer * 100).toFixed(3)} % of a core`,
  );
  console.log(
    `  => WebRTC consumer endpoints per core at 80 %, at the capacity bench's 95 packets/s each: ${(0.8 / perEndpointAtCapacityRate).toFixed(0)}`,
  );
}

await browser.close();
await server.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
