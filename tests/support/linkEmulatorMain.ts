/**
 * The weak-link emulator process. It inherits two TUN descriptors from
 * tunOpen.py (TUN_FDS="<server side>,<village side>"), copies every IP packet
 * from one to the other through an impaired pipe per direction, and takes
 * orders as JSON lines on stdin:
 *   {"id":1,"set":{"up":{...Impairment},"down":{...}}}  → {"id":1,"ok":true}
 *   {"id":2,"stats":true}                                 → {"id":2,"stats":{"up":{...},"down":{...}}}
 * It exits when stdin closes; the TUN devices vanish with it.
 * Run with UV_THREADPOOL_SIZE raised: each TUN keeps one blocking read in the pool.
 */
import { read, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createImpairedPipe, type ImpairedPipe, type Impairment } from './linkEmulatorPipe.js';

const [serverFd, villageFd] = (process.env.TUN_FDS ?? '').split(',').map(Number);
if (serverFd === undefined || villageFd === undefined || Number.isNaN(serverFd) || Number.isNaN(villageFd)) {
  process.stderr.write('linkEmulatorMain: TUN_FDS must name two descriptors\n');
  process.exit(2);
}

function writer(fd: number): (packet: Uint8Array) => void {
  return (packet) => {
    try {
      writeSync(fd, packet);
    } catch {
      // The device went down (shutdown, or not yet up): the packet is lost, as on a real link.
    }
  };
}

/** Reads one packet per call, forever: a TUN read returns exactly one IP packet. */
function pump(fd: number, pipe: ImpairedPipe): void {
  const buffer = Buffer.allocUnsafe(65_536);
  read(fd, buffer, 0, buffer.length, null, (err, bytes) => {
    if (err) {
      // EAGAIN/EIO while the device is being configured; try again shortly.
      setTimeout(() => pump(fd, pipe), 5);
      return;
    }
    if (bytes > 0) pipe.push(Buffer.from(buffer.subarray(0, bytes)));
    pump(fd, pipe);
  });
}

const up = createImpairedPipe(writer(serverFd));
const down = createImpairedPipe(writer(villageFd));
pump(villageFd, up);
pump(serverFd, down);

type Order = { id?: number; set?: { up?: Impairment; down?: Impairment }; stats?: boolean };
const reply = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  let order: Order;
  try {
    order = JSON.parse(line) as Order;
  } catch {
    reply({ error: 'not JSON' });
    return;
  }
  if (order.set) {
    if (order.set.up) up.set(order.set.up);
    if (order.set.down) down.set(order.set.down);
    reply({ id: order.id, ok: true });
  } else if (order.stats) {
    reply({ id: order.id, stats: { up: up.stats(), down: down.stats() } });
  } else {
    reply({ id: order.id, error: 'unknown order' });
  }
});
process.stdin.on('end', () => process.exit(0));
reply({ ready: true });
