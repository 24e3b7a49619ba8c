/**
 * What bench/sfu-capacity reads from and asks of the OS: CPU time of a process
 * and of a core, pinning and priority, the kernel's UDP drop counter, and the
 * default socket buffer sizes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** User + system CPU seconds of a process, all threads, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuSplit(pid);
  return user + system;
}

/** User and system CPU seconds of a process: the system part is mostly sendto and, on loopback, the receive path. */
export function cpuSplit(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name: state is the first, utime the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / ticksPerSecond, system: Number(fields[12]) / ticksPerSecond };
}

/** Busy CPU seconds of one core (everything but idle and iowait), from /proc/stat: tells what else ran there. */
export function coreBusySeconds(core: number): number {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`cpu${core} `));
  const [user, nice, system, _idle, _iowait, irq, softirq, steal] = (line ?? '').split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / ticksPerSecond;
}

/** Pins every thread of a process to one core. */
export function pin(pid: number, core: number): void {
  execFileSync('taskset', ['-a', '-pc', String(core), String(pid)], { stdio: 'ignore' });
}

/**
 * Raises every thread of a process to a nice level (root only; false
 * otherwise). The machine is shared: other jobs float onto the worker's core,
 * and a worker that gets half a core shows "loss at low CPU". A thread's nice
 * only counts inside its scheduling group: see prioritiseSession.
 */
export function prioritise(pid: number, nice: number): boolean {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) execFileSync('renice', ['-n', String(nice), '-p', tid], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Raises the scheduling group of a process's session (sched_autogroup,
 * `/proc/<pid>/autogroup`; root only). The kernel shares a core fairly between
 * sessions whatever their threads' nice, so without this a compiler in another
 * engineer's shell takes half of the worker's core.
 */
export function prioritiseSession(pid: number, nice: number): boolean {
  try {
    if (!existsSync(`/proc/${pid}/autogroup`)) return false;
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    return true;
  } catch {
    return false;
  }
}

/** UDP datagrams the kernel dropped because a receive buffer was full (machine-wide). */
export function udpReceiveBufferDrops(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const names = (lines[0] ?? '').split(/\s+/);
  const values = (lines[1] ?? '').split(/\s+/);
  return Number(values[names.indexOf('RcvbufErrors')] ?? Number.NaN);
}

const bufferSysctls = ['rmem_default', 'rmem_max', 'wmem_default', 'wmem_max'] as const;

/**
 * Sets the kernel's default and maximum UDP socket buffers (net.core.*mem_*),
 * so the mediasoup worker's sockets (3.12 has no option for their size) ride
 * out a scheduling hiccup; returns a function that restores the old values.
 * Root only: without root the defaults stay and this says so.
 */
export function raiseSocketBuffers(bytes: number): { raised: boolean; restore(): void } {
  const path = (name: string) => `/proc/sys/net/core/${name}`;
  const before = bufferSysctls.map((name) => [name, readFileSync(path(name), 'utf8').trim()] as const);
  try {
    for (const name of bufferSysctls) if (Number(readFileSync(path(name), 'utf8')) < bytes) writeFileSync(path(name), String(bytes));
  } catch {
    return { raised: false, restore: () => undefined };
  }
  return {
    raised: true,
    restore: () => {
      for (const [name, value] of before) writeFileSync(path(name), value);
    },
  };
}

/**
 * Steers the loopback's receive processing to one core (RPS on `lo`; root
 * only). On loopback the kernel runs the receiver's whole path (IP, UDP,
 * queueing, waking the sink) inside the sender's sendto, so without this the
 * worker's CPU includes the sinks' receive work, which on a real network runs
 * on the viewers' machines. Returns a function that restores the old mask.
 */
export function steerLoopbackReceive(core: number): { steered: boolean; restore(): void } {
  const path = '/sys/class/net/lo/queues/rx-0/rps_cpus';
  try {
    const before = readFileSync(path, 'utf8').trim();
    writeFileSync(path, (1 << core).toString(16));
    return { steered: true, restore: () => writeFileSync(path, before) };
  } catch {
    return { steered: false, restore: () => undefined };
  }
}
