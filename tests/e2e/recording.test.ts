import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../recordings/index.js';
import { run as runCli } from '../../server/cli/main.js';
import { useServerAndBrowser } from '../support/fixtures.js';
import { admitFromUi, openInvite, waitForMediaFrom } from '../support/room.js';
import { decodeErrors, probeMedia } from '../support/rtpSourceChecks.js';
import { readJson, recordingPath, until } from '../support/sessionRecording.js';
import { createSession, invite } from '../support/signaling.js';

/** Clicks the host's switch and waits until every page agrees on the recording state. */
async function setRecording(host: Page, pages: Page[], on: boolean): Promise<void> {
  await host.getByTestId('record-toggle').click();
  for (const page of pages) {
    // Stopping finalizes the files first (a few seconds); the indicator goes only once the manifest is signed.
    await expect.poll(() => page.getByTestId('recording-indicator').count(), { timeout: 30_000 }).toBe(on ? 1 : 0);
  }
}

describe('recording a session in Chromium', () => {
  const ctx = useServerAndBrowser();

  it('records three people with a stop and start in the middle: tracks play and decode, the composite matches, verify catches one flipped byte', async () => {
    const sessionId = await createSession(ctx.server, 'mediation', '录像调解');
    const invites = {
      调解员: await invite(ctx.server, sessionId, 'mediator', '调解员'),
      申请人: await invite(ctx.server, sessionId, 'party', '申请人'),
      被申请人: await invite(ctx.server, sessionId, 'party', '被申请人'),
    };
    const host = await openInvite(ctx.browser, invites.调解员.url);
    const pages: Record<string, Page> = { 调解员: host };
    for (const name of ['申请人', '被申请人'] as const) {
      pages[name] = await openInvite(ctx.browser, invites[name].url);
      // Not recording yet: the waiting screen does not claim it is.
      await pages[name].getByTestId('waiting-room').waitFor();
      expect(await pages[name].getByTestId('recording-notice').count()).toBe(0);
      await admitFromUi(host, name);
    }
    const everyone = Object.keys(pages);
    for (const [name, page] of Object.entries(pages))
      await waitForMediaFrom(
        page,
        everyone.filter((n) => n !== name),
        { timeoutMs: 60_000 },
      );
    const all = Object.values(pages);
    const party = pages.申请人 as Page;
    expect(await party.getByTestId('record-toggle').count()).toBe(0);

    await setRecording(host, all, true);
    await party.getByTestId('recording-banner').waitFor();
    await host.waitForTimeout(6500);
    await setRecording(host, all, false);
    await setRecording(host, all, true);
    await host.waitForTimeout(6500);
    await setRecording(host, all, false);

    const session = await ctx.server.sessions.require(sessionId);
    expect(session.summary.recording).toBe(false);
    const res = await fetch(`${ctx.server.url}/api/sessions/${sessionId}/recordings`, {
      headers: { authorization: `Bearer ${invites.调解员.token}` },
    });
    const { recordings } = (await res.json()) as { recordings: { recordingId: string }[] };
    expect(recordings).toHaveLength(2);
    const keyFile = join(ctx.server.dataDir, 'recording-public.pem');
    writeFileSync(keyFile, await (await fetch(`${ctx.server.url}/api/keys/recording`)).text());

    for (const { recordingId } of recordings) {
      const dir = recordingPath(ctx.server, sessionId, recordingId);
      // The composite is made by the queue after the stop.
      const manifest = await until(
        async () => {
          const m = await readJson<Manifest>(join(dir, 'manifest.json'));
          return m.composite ? m : undefined;
        },
        120_000,
        1000,
      );
      const seats = new Set(manifest.tracks.map((t) => t.seatId));
      expect(seats.size).toBe(3);
      for (const track of manifest.tracks) {
        const file = join(dir, track.file);
        const probe = await probeMedia(file);
        expect(probe.durationS, track.file).toBeGreaterThanOrEqual(3);
        if (track.kind === 'video') expect(await decodeErrors(file), track.file).toBe('');
        else expect(probe.streams.some((s) => s.codec_type === 'audio')).toBe(true);
      }
      const composite = await probeMedia(join(dir, 'composite.mp4'));
      expect(composite.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
      expect(Math.abs(composite.durationS * 1000 - manifest.durationMs)).toBeLessThan(1000);

      const lines: string[] = [];
      await runCli(['verify', dir, '--key', keyFile], (l) => lines.push(l));
      // Every track file, the composite, the manifest's signature and the manifest itself.
      expect(lines.filter((l) => l.startsWith('ok')).length).toBe(manifest.tracks.length + 3);
      for (const name of [...manifest.tracks.map((t) => t.file), 'composite.mp4']) {
        const path = join(dir, name);
        const original = readFileSync(path);
        const flipped = Buffer.from(original);
        flipped[flipped.length >> 1] = (flipped[flipped.length >> 1] as number) ^ 0xff;
        writeFileSync(path, flipped);
        await expect(runCli(['verify', dir, '--key', keyFile], () => {})).rejects.toThrow(name);
        writeFileSync(path, original);
      }
    }
  }, 400_000);
});
