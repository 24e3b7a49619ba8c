import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { type Impairment, type LinkEmulator, type PipeStats, startLinkEmulator } from './linkEmulator.js';

export type { Impairment, PipeStats } from './linkEmulator.js';

/**
 * A second host on this machine: a network namespace whose only way out is a
 * weak link emulated in userspace (linkEmulator.ts). The village side can be
 * made hostile (UDP blocked, loss, delay, jitter, a rate cap) while the server
 * and office browsers stay on the host.
 */
export type Village = {
  /** The host side's address: what the server must listen on and announce. */
  hostIp: string;
  villageIp: string;
  namespace: string;
  /** Drops all UDP both ways, as a strict firewall does; restore() leaves it in place. */
  blockUdp(): Promise<void>;
  /** Impairs what the village sends (its uplink); merged into what is already set. */
  degrade(options: Impairment): Promise<void>;
  /** Impairs what the village receives (its downlink); merged into what is already set. */
  degradeDownlink(options: Impairment): Promise<void>;
  /** Sets both directions at once, replacing what was set (UDP blocking stays as it was). */
  impair(link: { up?: Impairment; down?: Impairment }): Promise<void>;
  /** Removes every impairment in both directions, except UDP blocking. */
  restore(): Promise<void>;
  stats(): Promise<{ up: PipeStats; down: PipeStats }>;
  launchBrowser(extraArgs?: string[], origin?: string): Promise<Browser>;
  close(): void;
};

function sh(args: string[]): void {
  execFileSync(args[0] as string, args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
}

let counter = 0;

export async function createVillage(): Promise<Village> {
  const id = `${process.pid % 10000}${counter++}`;
  const namespace = `cl-village-${id}`;
  const octet = 16 + ((process.pid + counter * 4) % 200);
  const hostIp = `10.77.${octet}.1`;
  const villageIp = `10.77.${octet}.2`;
  const wrapperDir = mkdtempSync(join(tmpdir(), 'courtlink-village-'));

  sh(['ip', 'netns', 'add', namespace]);
  let link: LinkEmulator;
  try {
    link = await startLinkEmulator({ namespace, serverIf: `clh${id}`, villageIf: `clv${id}`, serverIp: hostIp, villageIp });
  } catch (err) {
    sh(['ip', 'netns', 'del', namespace]);
    throw err;
  }
  let up: Impairment = {};
  let down: Impairment = {};
  let udpBlocked = false;
  const apply = () => link.set({ up: { ...up, blockUdp: udpBlocked }, down: { ...down, blockUdp: udpBlocked } });

  return {
    hostIp,
    villageIp,
    namespace,
    blockUdp() {
      udpBlocked = true;
      return apply();
    },
    degrade(options) {
      up = { ...up, ...options };
      return apply();
    },
    degradeDownlink(options) {
      down = { ...down, ...options };
      return apply();
    },
    impair(next) {
      up = next.up ?? up;
      down = next.down ?? down;
      return apply();
    },
    restore() {
      up = {};
      down = {};
      return apply();
    },
    stats: () => link.stats(),
    async launchBrowser(extraArgs = [], origin) {
      // Real Debian Chromium, started inside the namespace.
      const wrapper = join(wrapperDir, 'chromium-in-village');
      writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${namespace} /usr/bin/chromium "$@"\n`);
      chmodSync(wrapper, 0o755);
      // Over a LAN address the page is not a secure context, and getUserMedia needs one.
      const secure = origin ? [`--unsafely-treat-insecure-origin-as-secure=${origin}`] : [];
      return launchChromium([...secure, ...extraArgs], wrapper);
    },
    close() {
      link.close();
      try {
        sh(['ip', 'netns', 'del', namespace]);
      } catch {
        // already gone
      }
      rmSync(wrapperDir, { recursive: true, force: true });
    },
  };
}
