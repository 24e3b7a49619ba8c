import type { RecordingEntry } from '../recording/recordingList.js';

/** `courtlink recording list --session <id>`: one line per recording, then one per track, from GET /api/sessions/:id/recordings. */
export function printRecordingList(body: { recordings: RecordingEntry[] }, out: (line: string) => void): void {
  if (body.recordings.length === 0) {
    out('no recordings');
    return;
  }
  for (const r of body.recordings) {
    const seconds = r.durationMs === undefined ? '-' : `${(r.durationMs / 1000).toFixed(1)}s`;
    const eta = r.composite.etaSeconds === undefined ? '' : ` eta ${r.composite.etaSeconds}s`;
    const flags = [r.repaired ? 'repaired' : '', r.gaps.length > 0 ? `${r.gaps.length} gap(s)` : ''].filter(Boolean).join(', ');
    out(
      `${r.recordingId}\t${r.state}\t${r.startedAt}\t${seconds}\tcomposite ${r.composite.state} ${r.composite.percent}%${eta}${flags ? `\t${flags}` : ''}`,
    );
    for (const t of r.tracks) out(`  ${t.file}\t${t.kind}\t${t.participant}\t${t.role}\t${t.source}\t${t.room}\t${t.bytes} bytes`);
  }
}
