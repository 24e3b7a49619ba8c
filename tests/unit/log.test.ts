import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskPii } from '../../server/log/index.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger('info', stream), lines };
}

describe('logging', () => {
  it('masks all but the first character of personal data', () => {
    expect(maskPii('张三丰')).toBe('张**');
    expect(maskPii('Alice')).toBe('A****');
    expect(maskPii('李')).toBe('李*');
  });

  it('masks names and hides tokens wherever they appear in a log line', () => {
    const { log, lines } = capture();
    log.info({ displayName: '王小明', seat: { phone: '13800138000', token: 'eyJhbGciOi.secret.sig' } }, 'joined');
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line.displayName).toBe('王**');
    expect(line.seat.phone).toBe('1**********');
    expect(line.seat.token).toBe('[secret]');
    expect(lines[0]).not.toContain('13800138000');
    expect(lines[0]).not.toContain('eyJhbGciOi');
  });
});
