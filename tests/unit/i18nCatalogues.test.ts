import { describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/en.js';
import { errorsEn } from '../../client/src/i18n/errors.en.js';
import { errorsZhCN } from '../../client/src/i18n/errors.zh-CN.js';
import { servicesEn } from '../../client/src/i18n/services.en.js';
import { servicesZhCN } from '../../client/src/i18n/services.zh-CN.js';
import { zhCN } from '../../client/src/i18n/zh-CN.js';
import { errorText } from '../../client/src/ui/errorText.js';
import { errorCodes } from '../../signaling/index.js';

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

const zh = flatten({ ...zhCN, ...servicesZhCN } as unknown as Tree);
const english = flatten({ ...en, ...servicesEn } as unknown as Tree);

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

  it('word every catalogue code for people in both languages, in full-width punctuation in Chinese', () => {
    for (const code of [...errorCodes, 'TIMEOUT', 'DISCONNECTED'] as const) {
      expect(errorsZhCN[code], code).toMatch(/[\u3400-\u9fff]/);
      expect(errorsEn[code], code).toMatch(/[a-z]/);
    }
    const halfWidth = /[\u3400-\u9fff][,:;?!()]|[,:;?!()][\u3400-\u9fff]/;
    expect(Object.values(errorsZhCN).filter((text) => halfWidth.test(text))).toEqual([]);
  });

  it('show the catalogue words for a failed request, with the character the font lacks', () => {
    const t = ((key: string, options?: { char?: string }) => {
      const text = (errorsZhCN as Record<string, string>)[key.replace('catalogue.', '')] ?? 'unknown';
      return text.replace('{{char}}', options?.char ?? '');
    }) as never;
    const glyph = Object.assign(new Error('The font cannot print the character "𪚥" (U+2A6A5); 字体缺少字符「𪚥」。'), {
      code: 'FONT_MISSING_GLYPH',
    });
    expect(errorText(t, glyph)).toBe('文中有字库无法打印的字「𪚥」，请改用常用字或加以说明。');
    expect(errorText(t, Object.assign(new Error('too big'), { code: 'PAYLOAD_TOO_LARGE' }))).toBe(errorsZhCN.PAYLOAD_TOO_LARGE);
  });
});
