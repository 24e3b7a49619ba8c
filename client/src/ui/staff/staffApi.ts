import { errorText as catalogueText } from '../errorText.js';

/** The back-office REST API as the staff pages call it: same origin, the sign-in cookie, catalogue errors as StaffApiError. */
export class StaffApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StaffApiError';
  }
}

export async function staffApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new StaffApiError('NETWORK', 'network');
  }
  if (res.status === 204) return undefined as T;
  const answer = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!res.ok) throw new StaffApiError(answer.error?.code ?? String(res.status), answer.error?.message ?? res.statusText);
  return answer as T;
}

/** Downloads a CSV or PDF answer (GET or POST) as a file. */
export async function downloadFile(method: string, path: string, filename: string, body?: unknown): Promise<void> {
  const res = await fetch(`/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new StaffApiError(String(res.status), res.statusText);
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type Account = { id: string; username: string; displayName: string; staffRole: string; orgId: string; disabled: boolean };
export type Site = { id: string; name: string; kind: string; orgId: string; address: string };
export type Organisation = { id: string; name: string; kind: string; parentId?: string };
export type Party = { name: string; side: '申请人' | '被申请人'; phone: string; idNumber: string };
export type CaseRecord = {
  id: string;
  caseNumber: string;
  disputeType: string;
  parties: Party[];
  mediatorId: string;
  siteId: string;
  sessionIds: string[];
};
export type SessionSummary = { id: string; type: string; title: string; status: string; scheduledAt?: string; createdAt: string };
export type LedgerEntry = {
  sessionId: string;
  type: string;
  caseNumber?: string;
  siteIds: string[];
  participants: { role: string; name: string }[];
  startedAt: string;
  durationSeconds: number;
  outcome?: string;
  mediatorId?: string;
};

/** Shown in Beijing time whatever the browser's zone: the centres all work on it. */
export function chinaTime(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' });
}

/** The error line for a failed call: the office's own wording when it has one, else the catalogue's words for the code. */
export function errorText(t: (key: string, options?: Record<string, unknown>) => string, err: unknown): string {
  const code = err instanceof StaffApiError ? err.code : 'INTERNAL';
  return t(`office.errors.${code}`, { defaultValue: catalogueText(t, err) });
}
