/**
 * bench/sfu-capacity: how many consumer endpoints one mediasoup worker carries.
 *
 * The worker under test is pinned to core 0; this process (senders, sinks) and
 * a second "harness" worker (the SRTP encrypter for senders) to core 1.
 * Load: senders write Opus (50 packets/s of 125 B) and VP8 (45 packets/s of
 * 1,200 B, ~430 kbit/s); each has ten consumer endpoints, one PlainTransport
 * with an audio and a video Consumer each, towards UDP sinks that count
 * packets. Endpoints are added in steps; each step settles, then is measured
 * for SECONDS:
 *   - worker CPU: user+system time of the worker process / wall time;
 *   - loss: 1 - RTP packets at the sinks / (packets sent × endpoints per sender);
 *   - µs per forwarded packet: worker CPU time / RTP packets at the sinks;
 *   - harness CPU: this process plus the harness worker.
 * A step passes at <= 80 % of a core and < 0.5 % loss; the ramp stops at the
 * first step that fails. Two paths, each plain RTP and SRTP
 * (AES_CM_128_HMAC_SHA1_80): "bare" (createWorker + createRouter with the
 * product's codecs) and "product" (WorkerPool + Room.create from server/media,
 * audio producers fed to the room's active-speaker observer).
 *
 *   npm run bench:sfu-capacity      (STEP=200 MAX=2000 SECONDS=5 SECURITY=srtp,plain PATHS=bare,product)
 */
import { createSocket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWorker, type types } from 'mediasoup';
import { createLogger } from '../server/log/index.js';
import { mediaCodecs, Room, WorkerPool } from '../server/media/index.js';
import { CapacityLoad, endpointsPerSender, type RouterUnderTest, type Security } from './sfu-capacity-load.js';
import { cpuSeconds, pin, udpReceiveBufferDrops } from './sfu-capacity-probe.js';
import { UdpSink } from './sfu-capacity-rtp.js';

const step = Number(process.env.STEP ?? 200);
const max = Number(process.env.MAX ?? 2000);
const seconds = Number(process.env.SECONDS ?? 5);
const securities = (process.env.SECURITY ?? 'srtp,plain').split(',') as Security[];
const paths = (process.env.PATHS ?? 'bare,product').split(',') as PathName[];
const cpuBudget = 0.8;
const lossBudget = 0.005;
if (step % endpointsPerSender !== 0) throw new Error(`STEP must be a multiple of ${endpointsPerSender}`);

type PathName = 'bare' | 'product';
type Opened = { underTest: RouterUnderTest; pid: number; close(): void };
type Row = { endpoints: number; cpu: number; loss: number; usPerPacket: number; harnessCpu: number; kernelDrops: number; pass: boolean };

const log = createLogger('silent');

async function open(path: PathName): Promise<Opened> {
  if (path === 'bare') {
    const worker = await createWorker({ logLevel: 'warn' });
    const router = await worker.createRouter({ mediaCodecs });
    return { underTest: { router, onProducer: () => undefined }, pid: worker.pid, close: () => worker.close() };
  }
  // As server/main builds it: the pool's worker (with its WebRtcServer) and a session's Room.
  const pool = await WorkerPool.create({
    count: 1,
    logLevel: 'warn',
    listenIp: '127.0.0.1',
    announcedIp: undefined,
    webRtcPort: 0,
    minPort: 40100,
    maxPort: 49999,
    log,
  });
  const room = await Room.create('bench-capacity', pool.leastLoaded(), log);
  return {
    underTest: { router: room.router, onProducer: (producer) => room.watchSpeaker(producer, 'joint') },
    pid: pool.pids()[0] as number,
    close: () => {
      room.close();
      pool.close();
    },
  };
}

async function ramp(path: PathName, security: Security, harness: types.Router, harnessPid: number): Promise<Row[]> {
  const opened = await open(path);
  pin(opened.pid, 0);
  const sinks = await Promise.all([0, 1, 2, 3].map(() => UdpSink.open()));
  const load = new CapacityLoad(opened.underTest, security, sinks, harness);
  const sendSocket = createSocket('udp4');
  sendSocket.on('message', () => undefined); // RTCP from the worker: not measured
  await new Promise<void>((resolve) => sendSocket.bind(0, '127.0.0.1', resolve));
  let sent = 0;
  const pump = setInterval(() => {
    const now = performance.now();
    for (const sender of load.senders) sent += sender.synthetic.pump(sendSocket, now);
  }, 10);
  const forwarded = () => sinks.reduce((sum, s) => sum + s.rtp, 0);
  const snapshot = () => ({
    at: performance.now(),
    worker: cpuSeconds(opened.pid),
    harness: cpuSeconds(process.pid) + cpuSeconds(harnessPid),
    sent,
    forwarded: forwarded(),
    drops: udpReceiveBufferDrops(),
  });

  const rows: Row[] = [];
  console.log(`\n${path} / ${security}: endpoints  consumers  worker CPU  loss     µs/packet  harness CPU  kernel drops`);
  for (let endpoints = step; endpoints <= max; endpoints += step) {
    await load.grow(endpoints);
    await sleep(2500);
    const a = snapshot();
    await sleep(seconds * 1000);
    const b = snapshot();
    const wall = (b.at - a.at) / 1000;
    const delivered = b.forwarded - a.forwarded;
    const expected = (b.sent - a.sent) * endpointsPerSender;
    const row: Row = {
      endpoints,
      cpu: (b.worker - a.worker) / wall,
      loss: Math.max(0, 1 - delivered / expected),
      usPerPacket: ((b.worker - a.worker) * 1e6) / delivered,
      harnessCpu: (b.harness - a.harness) / wall,
      kernelDrops: b.drops - a.drops,
      pass: false,
    };
    row.pass = row.cpu <= cpuBudget && row.loss < lossBudget;
    rows.push(row);
    console.log(
      `  ${String(endpoints).padStart(19)}  ${String(endpoints * 2).padStart(9)}  ${pct(row.cpu).padStart(10)}  ${pct(row.loss, 2).padStart(7)}` +
        `  ${row.usPerPacket.toFixed(2).padStart(9)}  ${pct(row.harnessCpu).padStart(11)}  ${String(row.kernelDrops).padStart(12)}${row.pass ? '' : '  ✗'}`,
    );
    if (!row.pass) break;
  }
  clearInterval(pump);
  sendSocket.close();
  for (const sink of sinks) sink.close();
  opened.close();
  await sleep(500);
  return rows;
}

function pct(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)} %`;
}

function summary(rows: Row[]): { capacity: number; usPerPacket: number } {
  const passed = rows.filter((r) => r.pass);
  const last = passed.at(-1);
  // µs per packet: the mean over passing steps of at least 400 endpoints, where fixed costs (timers, RTCP) are amortised.
  const steady = passed.filter((r) => r.endpoints >= Math.min(400, last?.endpoints ?? 0));
  const usPerPacket = steady.reduce((s, r) => s + r.usPerPacket, 0) / Math.max(1, steady.length);
  return { capacity: last?.endpoints ?? 0, usPerPacket };
}

pin(process.pid, 1);
const harnessWorker = await createWorker({ logLevel: 'warn' });
pin(harnessWorker.pid, 1);
const harnessRouter = await harnessWorker.createRouter({ mediaCodecs });

console.log(
  `bench/sfu-capacity: worker under test on core 0, harness on core 1; steps of ${step} endpoints, ${seconds} s each;` +
    ` pass = worker CPU <= ${cpuBudget * 100} % and loss < ${lossBudget * 100} %`,
);
const results = new Map<string, ReturnType<typeof summary>>();
for (const security of securities) {
  for (const path of paths) results.set(`${path}/${security}`, summary(await ramp(path, security, harnessRouter, harnessWorker.pid)));
}
harnessWorker.close();

console.log('\nsummary: largest passing step (consumer endpoints / Consumers), worker µs per forwarded packet');
for (const [name, r] of results) {
  console.log(
    `  ${name.padEnd(14)} ${String(r.capacity).padStart(5)} endpoints (${r.capacity * 2} Consumers)   ${r.usPerPacket.toFixed(2)} µs/packet`,
  );
}
for (const security of securities) {
  const bare = results.get(`bare/${security}`);
  const product = results.get(`product/${security}`);
  if (bare && product) {
    const ratio = product.usPerPacket / bare.usPerPacket;
    console.log(`  ${security}: product / bare CPU per packet ${ratio.toFixed(3)}x (goal <= 1.05x: ${ratio <= 1.05 ? 'met' : 'NOT met'})`);
  }
}
const srtp = results.get('product/srtp') ?? results.get('bare/srtp');
if (srtp) console.log(`  SRTP goal >= 800 endpoints (stretch 1,000): ${srtp.capacity >= 800 ? 'met' : 'NOT met'} (${srtp.capacity})`);
process.exit(0);
