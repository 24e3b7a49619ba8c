import { createHash } from 'node:crypto';
import forge from 'node-forge';
import type { DocumentInfo, RequestOf, SessionDraft } from '../../signaling/index.js';
import { renderAgreement, renderRuling, signPdf } from '../documents/index.js';
import { newId } from '../sessions/SessionStore.js';
import type { AgreementDeps } from './AgreementDeps.js';
import type { AgreementRecord } from './AgreementRecord.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The draft as the document engine takes it: the signing seats stay in the session. */
function engineParties(draft: SessionDraft) {
  return draft.parties.map(({ seatId: _seat, ...party }) => party);
}

async function store(
  sessionId: string,
  kind: DocumentInfo['kind'],
  pdf: Uint8Array,
  development: boolean,
  deps: AgreementDeps,
): Promise<DocumentInfo> {
  const info: DocumentInfo = {
    id: `d${newId(15)}`,
    sessionId,
    kind,
    sha256: sha256(pdf),
    createdAt: new Date().toISOString(),
    development,
  };
  await deps.store.saveFile(info, pdf);
  return info;
}

/**
 * Renders the agreement with every party's handwritten signature, binds it to
 * the audit chain's head at signing (and the recording manifest, once the
 * recorder provides one), signs it with the organisation's certificate and
 * stores it.
 */
export async function finalizeAgreement(sessionId: string, draft: SessionDraft, record: AgreementRecord, deps: AgreementDeps) {
  const auditHead = (await deps.audit.head(sessionId)).hash;
  const recordingManifestSha256 = await deps.recordingManifestSha256?.(sessionId);
  const signatures = Object.fromEntries(
    Object.entries(record.signatures).map(([partyId, s]) => [
      partyId,
      { png: new Uint8Array(Buffer.from(s.png, 'base64')), signedAt: new Date(s.signedAt), ip: s.ip },
    ]),
  );
  const binding = { auditHead, verifyUrl: `${deps.publicUrl()}/verify`, ...(recordingManifestSha256 ? { recordingManifestSha256 } : {}) };
  const unsigned = await renderAgreement({ ...draft, parties: engineParties(draft) }, signatures, binding);
  const pdf = await signPdf(unsigned, deps.keys.organisation, 'organisation');
  const info = await store(sessionId, 'agreement', pdf, deps.keys.development.organisation, deps);
  return {
    info,
    event: { documentId: info.id, sha256: info.sha256, auditHead, ...(recordingManifestSha256 ? { recordingManifestSha256 } : {}) },
  };
}

/** The court's name from its certificate (O=), as forge keeps UTF8String values undecoded. */
function courtName(deps: AgreementDeps): string {
  const value = deps.keys.court.certificate.subject.getField('O')?.value;
  if (typeof value !== 'string') return '人民法院';
  try {
    return forge.util.decodeUtf8(value);
  } catch {
    return value;
  }
}

/** Today in China (UTC+8) as YYYY-MM-DD, the ruling's date. */
function chinaDate(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** 司法确认: the ruling (confirmed or not, with the reason) citing the agreement's SHA-256, signed by the court. */
export async function recordDecision(
  sessionId: string,
  draft: SessionDraft,
  agreementSha256: string,
  judge: string,
  payload: RequestOf<'court:decide'>,
  deps: AgreementDeps,
) {
  const date = chinaDate();
  const decision = payload.confirmed ? ({ confirmed: true } as const) : ({ confirmed: false, reason: payload.reason ?? '' } as const);
  const ruling = {
    caseNumber: payload.caseNumber ?? `（${date.slice(0, 4)}）司确字第${sessionId.slice(0, 6)}号`,
    court: payload.court ?? courtName(deps),
    judge,
    agreementCaseNumber: draft.caseNumber,
    agreementSha256,
    parties: engineParties(draft),
    decision,
    date,
  };
  const auditHead = (await deps.audit.head(sessionId)).hash;
  const unsigned = await renderRuling(ruling, { auditHead, verifyUrl: `${deps.publicUrl()}/verify` });
  const pdf = await signPdf(unsigned, deps.keys.court, 'court');
  const info = await store(sessionId, 'ruling', pdf, deps.keys.development.court, deps);
  const event = {
    confirmed: payload.confirmed,
    ...(decision.confirmed ? {} : { reason: decision.reason }),
    documentId: info.id,
    sha256: info.sha256,
    agreementSha256,
  };
  return { info, event };
}
