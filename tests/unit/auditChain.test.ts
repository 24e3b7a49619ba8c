import { describe, expect, it } from 'vitest';
import { genesisHash, hashEntry, maskEventData, verifyChain } from '../../server/audit/index.js';

function chain(n: number): string[] {
  let prev = genesisHash;
  const lines: string[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const entry = {
      seq,
      at: `2026-11-21T10:00:0${seq}.000Z`,
      sessionId: 's1',
      actor: { kind: 'system' as const, reason: 'test' },
      type: 'seat.left',
      data: { seatId: `seat${seq}`, b: 1, a: [2, '中'] },
      prev,
    };
    const hash = hashEntry(entry);
    lines.push(JSON.stringify({ ...entry, hash }));
    prev = hash;
  }
  return lines;
}

describe('audit hash chain', () => {
  it('verifies an intact chain and gives its head', () => {
    const lines = chain(5);
    const verdict = verifyChain(lines);
    expect(verdict).toEqual({ ok: true, head: JSON.parse(lines[4] as string).hash, entries: 5 });
    expect(verifyChain([])).toEqual({ ok: true, head: genesisHash, entries: 0 });
  });

  it('hashes RFC 8785 canonical JSON: key order does not matter, content does', () => {
    const entry = JSON.parse(chain(1)[0] as string);
    const { hash, ...rest } = entry;
    const reordered = Object.fromEntries(Object.entries(rest).reverse());
    expect(hashEntry(reordered as never)).toBe(hash);
    expect(hashEntry({ ...rest, data: { ...rest.data, b: 2 } })).not.toBe(hash);
  });

  it('names the first broken entry: edited data, a removed line, a reordered chain', () => {
    const lines = chain(6);
    const edited = [...lines];
    edited[3] = (edited[3] as string).replace('seat4', 'seatX');
    expect(verifyChain(edited)).toMatchObject({ ok: false, brokenAt: 4, line: 4 });
    expect(verifyChain([...lines.slice(0, 2), ...lines.slice(3)])).toMatchObject({ ok: false, brokenAt: 4 });
    expect(verifyChain(['{not json', ...lines])).toMatchObject({ ok: false, line: 1 });
    // Recomputing the hash of an edited entry still breaks the link to the next one.
    const forged = JSON.parse(lines[2] as string);
    forged.data.seatId = 'forged';
    const { hash: _old, ...rest } = forged;
    const relinked = [...lines];
    relinked[2] = JSON.stringify({ ...rest, hash: hashEntry(rest) });
    expect(verifyChain(relinked)).toMatchObject({ ok: false, brokenAt: 4, reason: expect.stringContaining('prev') });
  });

  it('masks personal data in event data', () => {
    expect(maskEventData({ seatId: 's', displayName: '王大爷', nested: [{ phone: '13800138000' }] })).toEqual({
      seatId: 's',
      displayName: '王**',
      nested: [{ phone: '1**********' }],
    });
  });
});

describe('the session queue', () => {
  it('runs tasks in order, and answers UNAVAILABLE for one that hangs without blocking the next', async () => {
    const { SerialQueue } = await import('../../server/sessions/SerialQueue.js');
    const queue = new SerialQueue(50);
    const order: string[] = [];
    const stuck = queue.run(() => new Promise<void>(() => order.push('stuck started')));
    const next = queue.run(async () => {
      order.push('next');
      return 7;
    });
    await expect(stuck).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(next).resolves.toBe(7);
    expect(order).toEqual(['stuck started', 'next']);
  });
});
