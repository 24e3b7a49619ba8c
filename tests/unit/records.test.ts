import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log/index.js';
import { toCsv } from '../../server/records/csv.js';
import { maskIdNumber, maskPhone } from '../../server/records/masking.js';
import { chinaMonth, monthRange } from '../../server/records/statistics.js';

describe('records helpers', () => {
  it('masks ID numbers to their last 4 and phones to first 3 and last 4', () => {
    expect(maskIdNumber('11010119900101123X')).toBe('**************123X');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('123')).toBe('***');
  });

  it('writes RFC 4180 CSV with a BOM, CRLF, doubled quotes and defused formulas', () => {
    const csv = toCsv(
      ['名称', '值'],
      [
        ['示例村, "东头"', 1],
        ['=HYPERLINK("x")', undefined],
        ['两行\n文本', ''],
      ],
    );
    expect(csv).toBe('\uFEFF名称,值\r\n"示例村, ""东头""",1\r\n"\'=HYPERLINK(""x"")",\r\n"两行\n文本",\r\n');
  });

  it('counts months in Beijing time', () => {
    expect(chinaMonth('2026-01-31T16:00:00Z')).toBe('2026-02');
    expect(chinaMonth('2026-01-31T15:59:59Z')).toBe('2026-01');
    expect(monthRange('2026-12')).toEqual({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T15:59:59.999Z' });
  });

  it('never logs passwords, password hashes, sign-in ids or cookies', () => {
    const lines: string[] = [];
    const log = createLogger(
      'info',
      new Writable({
        write(chunk, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    log.info(
      {
        body: { username: 'demo', password: 'hunter2hunter2' },
        account: { passwordHash: 'scrypt$1$2' },
        sid: 'abc123',
        cookie: 'courtlink_session=s%3Aabc',
      },
      'x',
    );
    expect(lines[0]).not.toMatch(/hunter2|scrypt\$|abc123|courtlink_session/);
    expect(JSON.parse(lines[0] ?? '{}').body.password).toBe('[secret]');
  });
});
