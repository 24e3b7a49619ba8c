import type { Page } from 'playwright-core';

/** Buttons, links and form fields that have no accessible name. */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.$$eval('button, a, input, select', (elements) =>
    elements
      .filter((el) => {
        const labelled = el.getAttribute('aria-label') || (el as HTMLElement).innerText?.trim() || el.getAttribute('title');
        const byLabel = el.id && document.querySelector(`label[for="${el.id}"]`);
        const wrapped = el.closest('label');
        return !(labelled || byLabel || wrapped) && (el as HTMLElement).offsetParent !== null;
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** Visible controls smaller than `min` CSS pixels in either direction. */
export function smallTargets(page: Page, min = 44): Promise<string[]> {
  return page.$$eval(
    'button, a.button-link, select, input:not([type="checkbox"])',
    (elements, minimum) =>
      elements
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .map((el) => ({ el, box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width < minimum || box.height < minimum)
        .map(({ el, box }) => `${Math.round(box.width)}×${Math.round(box.height)} ${el.outerHTML.slice(0, 80)}`),
    min,
  );
}

/** Text of buttons whose colour against their (inherited) background is below WCAG AA's 4.5:1. */
export function lowContrast(page: Page): Promise<string[]> {
  return page.$$eval('button, a.button-link, p, h1, h2, label', (elements) => {
    const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const [R, G, B] = [r, g, b].map((v) => {
        const s = (v ?? 0) / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * (R ?? 0) + 0.7152 * (G ?? 0) + 0.0722 * (B ?? 0);
    };
    const background = (el: Element | null): number[] => {
      for (let node = el; node; node = node.parentElement) {
        const rgba = parse(getComputedStyle(node).backgroundColor);
        if (rgba.length >= 3 && (rgba[3] === undefined || rgba[3] > 0.9)) return rgba;
      }
      return [255, 255, 255];
    };
    return elements
      .filter((el) => (el as HTMLElement).offsetParent !== null && (el as HTMLElement).innerText?.trim())
      .filter((el) => !(el as HTMLButtonElement).disabled)
      .map((el) => {
        const fg = luminance(parse(getComputedStyle(el).color));
        const bg = luminance(background(el));
        const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        return { ratio, text: (el as HTMLElement).innerText.trim().slice(0, 40) };
      })
      .filter(({ ratio }) => ratio < 4.5)
      .map(({ ratio, text }) => `${ratio.toFixed(2)}:1 "${text}"`);
  });
}

/** Han characters on the page (text and accessible labels), except in the given names and titles. */
export async function chineseLeft(page: Page, allowed: string[]): Promise<string[]> {
  const texts = await page.evaluate(() => {
    const labels = [...document.querySelectorAll('[aria-label], [placeholder], [title]')].flatMap((el) =>
      ['aria-label', 'placeholder', 'title'].map((a) => el.getAttribute(a) ?? ''),
    );
    return [document.body.innerText, ...labels];
  });
  const leftovers: string[] = [];
  for (let text of texts) {
    for (const name of allowed) text = text.split(name).join('');
    const han = text.match(/[\u3400-\u9fff\uff00-\uffef]+/g);
    if (han) leftovers.push(...han);
  }
  return leftovers;
}
