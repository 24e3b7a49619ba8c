/**
 * The words for a failed request in the person's language, chosen by its
 * catalogue code (the server's message is English and for logs and tools).
 * FONT_MISSING_GLYPH names the character, read from the server's message.
 */
export function errorText(t: (key: string, options?: Record<string, unknown>) => string, err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : 'INTERNAL';
  const message = err instanceof Error ? err.message : '';
  const char = /「(.+?)」|"(.+?)"/u.exec(message);
  return t(`catalogue.${code}`, { char: char?.[1] ?? char?.[2] ?? '', defaultValue: t('catalogue.INTERNAL') });
}
