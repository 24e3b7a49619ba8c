/**
 * RFC 4180 CSV for spreadsheet programs: UTF-8 with a BOM (so Excel on a
 * Chinese Windows reads it as UTF-8, not GBK), CRLF line ends, and fields quoted
 * when they hold a comma, quote or line break. Hand-written because it is ten
 * lines and no CSV writer is among our dependencies.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | undefined)[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(field).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function field(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  // A cell starting with = + - @ is a formula to a spreadsheet: defuse it (OWASP CSV injection).
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
