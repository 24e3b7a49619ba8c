/** What an invite link leads to, as GET /api/invites/<id> answers. */
export type InviteResolution =
  | { status: 'open'; token: string; session: { title: string; type: string; recording: boolean; recordingForced: boolean } }
  | { status: 'ended' | 'denied' | 'removed'; session: { title: string } }
  /** A visit's family member the officer has not approved yet: no token until then (issue 12). */
  | { status: 'awaiting_approval'; session: { title: string }; seat: { displayName: string } }
  | { status: 'expired' }
  | { status: 'unreachable' };

/**
 * Resolves /j/<id> before anything else happens, so a dead link (ended
 * session, denied or removed seat, expired link) is told so before the
 * self-test. Links made before short links existed carry the token itself.
 */
export async function resolveInvite(id: string, fetcher: typeof fetch = fetch): Promise<InviteResolution> {
  if (id.split('.').length === 3) {
    return { status: 'open', token: id, session: { title: '', type: '', recording: false, recordingForced: false } };
  }
  let res: Response;
  try {
    res = await fetcher(`/api/invites/${encodeURIComponent(id)}`, { headers: { accept: 'application/json' } });
  } catch {
    return { status: 'unreachable' };
  }
  if (res.status === 410 || res.status === 404 || res.status === 400) return { status: 'expired' };
  if (!res.ok) return { status: 'unreachable' };
  return (await res.json()) as InviteResolution;
}
