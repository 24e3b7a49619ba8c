/** ID numbers are printed with all but the last 4 characters masked. */
export function maskIdNumber(id: string): string {
  const clean = id.replace(/\s+/g, '');
  return `${'*'.repeat(Math.max(clean.length - 4, 0))}${clean.slice(-4)}`;
}

export function lastFour(id: string): string {
  return id.replace(/\s+/g, '').slice(-4);
}

/** Phones keep the first 3 and last 4 digits (138****5678), the usual Chinese masking. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 7) return `${digits.slice(0, 1)}${'*'.repeat(Math.max(digits.length - 1, 0))}`;
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** Times on documents are China Standard Time (UTC+8, no daylight saving): 2026-05-20 16:00:00. */
export function formatChinaTime(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600_000);
  return `${local.toISOString().slice(0, 19).replace('T', ' ')}（北京时间）`;
}

/** 2026-05-20 → 2026年5月20日 */
export function formatChineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
