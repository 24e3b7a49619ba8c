/**
 * The one error catalogue. Every error a client can see (socket ack or HTTP
 * body) carries one of these codes, a human message and nothing else: no
 * stack, no internal detail.
 */
export const errorCatalogue = {
  UNAUTHENTICATED: { status: 401, message: 'Sign-in or a valid invite link is required.' },
  TOKEN_EXPIRED: { status: 401, message: 'This invite link has expired. Ask the mediator for a new one.' },
  FORBIDDEN: { status: 403, message: 'Your role is not allowed to do this.' },
  INVALID_PAYLOAD: { status: 400, message: 'The request was malformed.' },
  NOT_FOUND: { status: 404, message: 'No such item.' },
  NOT_ADMITTED: { status: 403, message: 'You are still in the waiting room.' },
  DENIED: { status: 403, message: 'The host did not admit you to this session.' },
  REMOVED: { status: 403, message: 'You were removed from this session.' },
  SESSION_ENDED: { status: 410, message: 'This session has ended.' },
  SESSION_LOCKED: { status: 423, message: 'The session is locked; no one new can join.' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; slow down.' },
  MEDIA_ERROR: { status: 502, message: 'The media server could not complete the request.' },
  UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable.' },
  INTERNAL: { status: 500, message: 'Something went wrong on the server.' },
  // session core
  RECORDING_FORCED: { status: 409, message: 'This session is recorded from start to end; recording cannot be stopped.' },
  UNSUPPORTED_ENCODING: { status: 415, message: 'The request body uses an encoding the server does not accept.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  LINK_EXPIRED: { status: 410, message: 'This invite link has expired. Ask the mediator for a new one.' },
  // documents: agreements, rulings, signatures
  FONT_MISSING_GLYPH: { status: 422, message: 'The document contains a character the font cannot print.' },
  SIGNATURE_IMAGE_INVALID: { status: 400, message: 'The handwritten signature is not a PNG image.' },
  SIGNATURE_IMAGE_TOO_LARGE: { status: 413, message: 'The handwritten signature image is too large.' },
  SIGNATURE_IMAGE_EMPTY: { status: 400, message: 'The handwritten signature is empty; please sign again.' },
  SIGNING_UNAVAILABLE: { status: 503, message: 'The signing certificate could not be loaded.' },
  // Back office (staff accounts, cases, ledger): issue 11.
  WRONG_CREDENTIALS: { status: 401, message: 'The user name or password is wrong.' },
  ACCOUNT_LOCKED: {
    status: 423,
    message: 'This account is locked after too many failed sign-ins; try again later or ask an administrator.',
  },
  ACCOUNT_DISABLED: { status: 403, message: 'This account has been disabled.' },
  LOGIN_EXPIRED: { status: 401, message: 'Your sign-in has expired; please sign in again.' },
  // recordings/ (the recorder)
  RECORDING_UNSUPPORTED_CODEC: { status: 422, message: 'This track cannot be recorded: only VP8 video and Opus audio are recorded.' },
  RECORDING_STOPPED: { status: 409, message: 'This recording has already stopped.' },
  // documents: in-session agreements, verification (docs)
  DOCUMENT_NOT_PDF: { status: 400, message: 'The uploaded file is not a PDF document.' },
  // recording wired into sessions (issue 9 phase 2)
  RANGE_NOT_SATISFIABLE: { status: 416, message: 'The requested byte range is malformed or outside the file.' },
  // Public services (issue 12): site finder, appointments, correctional visits, intake.
  COORDINATES_OUT_OF_RANGE: { status: 400, message: 'Latitude must be between -85 and 85 and longitude between -180 and 180.' },
  RADIUS_OUT_OF_RANGE: { status: 400, message: 'The search radius must be more than 0 and at most 50 km.' },
  CSV_ROW_INVALID: { status: 400, message: 'The file has rows that cannot be imported; nothing was imported.' },
  SLOT_FULL: { status: 409, message: 'This appointment slot is already fully booked.' },
  SLOT_PAST: { status: 409, message: 'This appointment slot has already begun.' },
  BOOKING_NOT_FOUND: { status: 404, message: 'No booking has this code.' },
  VISIT_FAMILY_UNAPPROVED: { status: 403, message: 'The correctional officer has not yet approved you for this visit.' },
  VISIT_WINDOW_CLOSED: { status: 409, message: 'This visit can no longer start: its time window has passed.' },
  VISIT_CHAT_OFF: { status: 403, message: 'Chat is off in this visit unless the officer allows it.' },
  // Ledger sources (issue 12): consultations, work orders and legal aid in the ledger.
  LEDGER_OUTCOME_NOT_APPLICABLE: {
    status: 422,
    message: 'This outcome does not apply to this ledger line (a work order or legal-aid line takes its outcome from its decision).',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];

export type ErrorBody = { error: { code: ErrorCode; message: string } };

/** Thrown by handlers; the gateway and HTTP layer turn it into an ErrorBody. */
export class CourtLinkError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = errorCatalogue[code].message,
  ) {
    super(message);
    this.name = 'CourtLinkError';
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Anything thrown that is not a CourtLinkError is reported as INTERNAL, never as its own message. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof CourtLinkError) return err.toBody();
  return { error: { code: 'INTERNAL', message: errorCatalogue.INTERNAL.message } };
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    'error' in value &&
    typeof (value as ErrorBody).error?.code === 'string' &&
    (value as ErrorBody).error.code in errorCatalogue
  );
}
