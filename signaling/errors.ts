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
  // recordings/ (the recorder)
  RECORDING_UNSUPPORTED_CODEC: { status: 422, message: 'This track cannot be recorded: only VP8 video and Opus audio are recorded.' },
  RECORDING_STOPPED: { status: 409, message: 'This recording has already stopped.' },
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
