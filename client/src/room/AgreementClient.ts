import type { AgreementView, DocumentInfo, RequestOf, SessionDraft } from '../../../signaling/index.js';
import type { Signaling } from './Signaling.js';

/**
 * The agreement requests of a participant (drafting, confirming, signing,
 * finalizing, the court call and decision) and document downloads, which
 * carry the seat's invite token as a Bearer token.
 */
export class AgreementClient {
  constructor(
    private readonly signaling: Signaling,
    private readonly serverUrl: string,
    private readonly token: string,
    private readonly current: () => AgreementView | undefined,
  ) {}

  private get version(): number {
    return this.current()?.version ?? 0;
  }

  load(): Promise<AgreementView> {
    return this.signaling.request('agreement:get', {});
  }

  edit(draft: SessionDraft): Promise<{ version: number }> {
    return this.signaling.request('agreement:edit', { version: this.version, draft });
  }

  confirmClause(seatId: string, clauseId: string) {
    return this.signaling.request('agreement:confirmClause', { seatId, clauseId, version: this.version });
  }

  /** The canvas PNG as base64 (the pad keeps it well under socket.io's 256 KB message limit). */
  sign(seatId: string, png: string) {
    return this.signaling.request('agreement:sign', { seatId, version: this.version, png });
  }

  finalize(): Promise<DocumentInfo> {
    return this.signaling.request('agreement:finalize', {});
  }

  callCourt() {
    return this.signaling.request('court:call', {});
  }

  decide(decision: RequestOf<'court:decide'>): Promise<DocumentInfo> {
    return this.signaling.request('court:decide', decision);
  }

  /** A signed PDF of this session, fetched with the seat's token (a plain link could not carry it). */
  async download(documentId: string): Promise<Blob> {
    const base = this.serverUrl.replace(/\/+$/, '');
    const res = await fetch(`${base}/api/documents/${encodeURIComponent(documentId)}`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    if (!res.ok) throw new Error(`download failed (${res.status})`);
    return res.blob();
  }
}
