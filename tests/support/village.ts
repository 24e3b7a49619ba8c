import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';

/**
 * A second host on this machine: a network namespace joined to ours by a veth
 * pair. The village side can be made hostile (UDP dropped by nftables, loss
 * and delay by netem) while the server and office browsers stay on the host.
 */
export type Village = {
  /** The host side's address: what the server must listen on and announce. */
  hostIp: string;
  villageIp: string;
  namespace: string;
  blockUdp(): void;
  /** netem on the village's link, e.g. { delayMs: 150, lossPercent: 10 }. */
  degrade(options: { delayMs?: number; lossPercent?: number; rateKbit?: number }): void;
  launchBrowser(extraArgs?: string[], origin?: string): Promise<Browser>;
  close(): void;
};

function sh(args: string[]): void {
  execFileSync(args[0] as string, args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
}

let counter = 0;

export function createVillage(): Village {
  const id = `${process.pid % 10000}${counter++}`;
  const namespace = `cl-village-${id}`;
  const hostIf = `clh${id}`;
  const villageIf = `clv${id}`;
  const octet = 16 + ((process.pid + counter * 4) % 200);
  const hostIp = `10.77.${octet}.1`;
  const villageIp = `10.77.${octet}.2`;
  const wrapperDir = mkdtempSync(join(tmpdir(), 'courtlink-village-'));

  sh(['ip', 'netns', 'add', namespace]);
  sh(['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', villageIf]);
  sh(['ip', 'link', 'set', villageIf, 'netns', namespace]);
  sh(['ip', 'addr', 'add', `${hostIp}/30`, 'dev', hostIf]);
  sh(['ip', 'link', 'set', hostIf, 'up']);
  const inNs = (args: string[]) => sh(['ip', 'netns', 'exec', namespace, ...args]);
  inNs(['ip', 'addr', 'add', `${villageIp}/30`, 'dev', villageIf]);
  inNs(['ip', 'link', 'set', villageIf, 'up']);
  inNs(['ip', 'link', 'set', 'lo', 'up']);
  inNs(['ip', 'route', 'add', 'default', 'via', hostIp]);

  return {
    hostIp,
    villageIp,
    namespace,
    blockUdp() {
      inNs(['nft', 'add', 'table', 'inet', 'village']);
      inNs(['nft', 'add', 'chain', 'inet', 'village', 'out', '{ type filter hook output priority 0 ; }']);
      // DNS is irrelevant here; every UDP packet leaving the village is dropped, as a strict firewall would.
      inNs(['nft', 'add', 'rule', 'inet', 'village', 'out', 'oifname', villageIf, 'meta', 'l4proto', 'udp', 'drop']);
    },
    degrade({ delayMs, lossPercent, rateKbit }) {
      const netem = ['netem'];
      if (delayMs) netem.push('delay', `${delayMs}ms`);
      if (lossPercent) netem.push('loss', `${lossPercent}%`);
      if (rateKbit) netem.push('rate', `${rateKbit}kbit`);
      inNs(['tc', 'qdisc', 'replace', 'dev', villageIf, 'root', ...netem]);
    },
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
      try {
        sh(['ip', 'link', 'del', hostIf]);
      } catch {
        // already gone with the namespace
      }
      try {
        sh(['ip', 'netns', 'del', namespace]);
      } catch {
        // already gone
      }
      rmSync(wrapperDir, { recursive: true, force: true });
    },
  };
}
