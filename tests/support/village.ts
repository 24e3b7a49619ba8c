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
  /** netem on what the village sends (its uplink), e.g. { delayMs: 150, lossPercent: 10 }. */
  degrade(options: LinkImpairment): void;
  /** netem on what the village receives (its downlink). */
  degradeDownlink(options: LinkImpairment): void;
  /** Removes every impairment in both directions. */
  restore(): void;
  launchBrowser(extraArgs?: string[], origin?: string): Promise<Browser>;
  close(): void;
};

/**
 * This machine's kernel has no netem, so loss is made by nftables (drop a
 * random share of UDP packets: the media, not the signalling) and bandwidth
 * by a token-bucket filter.
 */
export type LinkImpairment = { lossPercent?: number; rateKbit?: number };

function tbf(device: string, kbit: number, run: (args: string[]) => void): void {
  run(['tc', 'qdisc', 'replace', 'dev', device, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', '16kbit', 'latency', '400ms']);
}

function impair(
  direction: 'in' | 'out',
  match: 'iifname' | 'oifname',
  device: string,
  { lossPercent, rateKbit }: LinkImpairment,
  inNs: (args: string[]) => void,
  villageIf: string,
): void {
  if (lossPercent) {
    inNs(['nft', 'add', 'table', 'inet', 'impair']);
    const hook = direction === 'in' ? 'input' : 'output';
    inNs(['nft', 'add', 'chain', 'inet', 'impair', direction, `{ type filter hook ${hook} priority 0 ; }`]);
    inNs([
      'nft',
      'add',
      'rule',
      'inet',
      'impair',
      direction,
      match,
      device,
      'meta',
      'l4proto',
      'udp',
      'numgen',
      'random',
      'mod',
      '100',
      '<',
      String(lossPercent),
      'drop',
    ]);
  }
  if (rateKbit) tbf(villageIf, rateKbit, inNs);
}

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
    degrade(options) {
      impair('out', 'oifname', villageIf, options, (args) => inNs(args), villageIf);
    },
    degradeDownlink(options) {
      // Dropped as it arrives in the village; the rate cap sits on the host side, where the server's packets leave.
      impair('in', 'iifname', villageIf, { lossPercent: options.lossPercent }, (args) => inNs(args), villageIf);
      if (options.rateKbit) tbf(hostIf, options.rateKbit, sh);
    },
    restore() {
      for (const attempt of [
        () => inNs(['nft', 'delete', 'table', 'inet', 'impair']),
        () => sh(['tc', 'qdisc', 'del', 'dev', hostIf, 'root']),
        () => inNs(['tc', 'qdisc', 'del', 'dev', villageIf, 'root']),
      ]) {
        try {
          attempt();
        } catch {
          // nothing was set there
        }
      }
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
