import { describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/en.js';
import { zhCN } from '../../client/src/i18n/zh-CN.js';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const zh = flatten(zhCN as unknown as Tree);
const english = flatten(en as unknown as Tree);

describe('message catalogues', () => {
  it('have the same keys in Chinese and English', () => {
    expect([...english.keys()].sort()).toEqual([...zh.keys()].sort());
  });

  it('use full-width punctuation next to Chinese text', () => {
    // A half-width , : ; ? ! ( ) touching a Han character reads as a typo in Chinese.
    const han = '\\u3400-\\u9fff';
    const halfWidth = new RegExp(`[${han}][,:;?!()]|[,:;?!()][${han}]`);
    const offenders = [...zh].filter(([, text]) => halfWidth.test(text.replace(/\{\{\w+\}\}/g, '')));
    expect(offenders).toEqual([]);
  });

  it('never show an error code to people', () => {
    const codeLike = /[A-Z]{3,}_[A-Z_]+|\{\{code\}\}/;
    const shown = [...zh, ...english].filter(([key, text]) => !key.startsWith('staff.') && codeLike.test(text));
    expect(shown).toEqual([]);
  });
});
