import { z } from 'zod';
import { agreementNotifications, agreementRequests } from './agreementRoom.js';
import type { ErrorBody } from './errors.js';
import {
  DtlsParameters,
  IceParameters,
  Layers,
  MediaKind,
  MediaSource,
  RtpCapabilities,
  RtpParameters,
  TransportOptions,
} from './mediaParameters.js';
import type { SeatAction } from './roles.js';
import { CaucusName, Location, Participant, SeatId, SelfTest, SessionSummary, StaffRole } from './session.js';

const Ok = z.object({ ok: z.literal(true) });
const Empty = z.object({}).strict();
const Target = z.object({ seatId: SeatId }).strict();
const EntityId = z.string().min(1).max(64);
const ChatText = z.string().trim().min(1).max(1000);

/** What an admitted participant needs to render the room. */
export const AdmittedState = z.object({
  state: z.literal('admitted'),
  session: SessionSummary,
  you: Participant,
  participants: z.array(Participant),
  /** Filled for the host only. */
  waiting: z.array(Participant),
  /** True when this socket took over a seat that was already in the session (reload, reconnect). */
  resumed: z.boolean(),
  /** Who is speaking right now, so a newcomer need not wait for the next change. */
  activeSpeaker: SeatId.optional(),
});
export type AdmittedState = z.infer<typeof AdmittedState>;

export const WaitingState = z.object({ state: z.literal('waiting'), session: SessionSummary, you: Participant });
export type WaitingState = z.infer<typeof WaitingState>;

/** Every client→server request: its payload schema and its successful ack. A failed ack is always an ErrorBody. */
export const requests = {
  'session:join': { request: z.object({ selfTest: SelfTest.optional() }).strict(), response: z.union([AdmittedState, WaitingState]) },
  /**
   * A fresh socket takes over an admitted seat whose media is still up (the old socket stalled in TCP
   * back-off, or dropped): nothing is rebuilt. The answer is the room as it is now and the consumers the
   * seat still has, so the client can drop what it missed being told about.
   */
  'session:resume': { request: Empty, response: z.object({ state: AdmittedState, consumerIds: z.array(EntityId) }) },
  'session:leave': { request: Empty, response: Ok },
  'session:raiseHand': { request: z.object({ raised: z.boolean() }).strict(), response: Ok },

  'host:admit': { request: Target, response: Ok },
  'host:deny': { request: Target, response: Ok },
  'host:remove': { request: Target, response: Ok },
  'host:mute': { request: Target, response: Ok },
  'host:requestUnmute': { request: Target, response: Ok },
  'host:stopVideo': { request: Target, response: Ok },
  'host:lock': { request: z.object({ locked: z.boolean() }).strict(), response: Ok },
  'host:end': { request: Empty, response: Ok },
  'host:autoAdmit': { request: z.object({ roles: z.array(StaffRole).max(8) }).strict(), response: Ok },
  /** The host gives the host seat to another admitted staff seat. */
  'host:handover': { request: Target, response: Ok },

  /** Private caucus rooms (背对背调解). */
  'caucus:open': { request: z.object({ name: CaucusName }).strict(), response: z.object({ roomId: Location }) },
  'caucus:move': { request: z.object({ seatIds: z.array(SeatId).min(1).max(20), roomId: Location }).strict(), response: Ok },
  'caucus:close': { request: z.object({ roomId: Location }).strict(), response: Ok },
  'caucus:returnAll': { request: Empty, response: Ok },

  'media:capabilities': { request: Empty, response: z.object({ rtpCapabilities: RtpCapabilities }) },
  'media:createTransport': { request: z.object({ direction: z.enum(['send', 'recv']) }).strict(), response: TransportOptions },
  'media:connectTransport': { request: z.object({ transportId: EntityId, dtlsParameters: DtlsParameters }).strict(), response: Ok },
  'media:restartIce': { request: z.object({ transportId: EntityId }).strict(), response: z.object({ iceParameters: IceParameters }) },
  /** A transport the client no longer uses (its camera moved to a fresh one): closed, with whatever was made on it. */
  'media:closeTransport': { request: z.object({ transportId: EntityId }).strict(), response: Ok },
  'media:produce': {
    request: z.object({ transportId: EntityId, kind: MediaKind, source: MediaSource, rtpParameters: RtpParameters }).strict(),
    response: z.object({ producerId: EntityId }),
  },
  'media:closeProducer': { request: z.object({ producerId: EntityId }).strict(), response: Ok },
  'media:pauseProducer': { request: z.object({ producerId: EntityId }).strict(), response: Ok },
  'media:resumeProducer': { request: z.object({ producerId: EntityId }).strict(), response: Ok },
  /** Sent once the receive transport exists: from here on the server offers every producer as a paused consumer. */
  'media:ready': { request: z.object({ rtpCapabilities: RtpCapabilities }).strict(), response: Ok },
  /** Ask again for one producer (e.g. after closing its consumer); refused for another room's producers. */
  'media:consume': { request: z.object({ producerId: EntityId }).strict(), response: Ok },
  'media:pauseConsumer': { request: z.object({ consumerId: EntityId }).strict(), response: Ok },
  'media:resumeConsumer': { request: z.object({ consumerId: EntityId }).strict(), response: Ok },
  'media:setPreferredLayers': { request: z.object({ consumerId: EntityId }).extend(Layers.shape).strict(), response: Ok },

  /** Self-test before joining: a round trip for measuring latency. */
  'net:ping': { request: Empty, response: z.object({ serverTime: z.number() }) },
  /** Self-test: a throw-away transport to learn whether UDP or only TCP reaches the SFU. */
  'probe:start': { request: Empty, response: z.object({ rtpCapabilities: RtpCapabilities, transport: TransportOptions }) },
  'probe:connect': { request: z.object({ dtlsParameters: DtlsParameters }).strict(), response: Ok },
  'probe:produce': {
    request: z.object({ kind: MediaKind, rtpParameters: RtpParameters }).strict(),
    response: z.object({ producerId: EntityId }),
  },
  /** Which protocol carried the probe's ICE so far (null: nothing yet). Polled by the client; closes the probe once known. */
  'probe:result': { request: Empty, response: z.object({ protocol: z.enum(['udp', 'tcp']).nullable() }) },

  /** Chat: participants write to the hosts; hosts write to everyone or to one seat. */
  'chat:send': { request: z.object({ text: ChatText, to: SeatId.optional() }).strict(), response: Ok },

  // ---- agreements and judicial confirmation (docs) ----
  ...agreementRequests,
  // ---- recording (issue 9): the host starts and stops; caucus rooms are recorded only when the host says so
  'record:start': { request: Empty, response: z.object({ recordingId: z.string() }) },
  /** Answers at once; the files are finalized after (up to ~14 s), then `recording.stopped` and session:updated follow. */
  'record:stop': { request: Empty, response: z.object({ recordingId: z.string() }) },
  'caucus:setRecording': { request: z.object({ roomId: Location, recorded: z.boolean() }).strict(), response: Ok },
  // ---- supervised visits (issue 12) ----
  'visit:allowChat': { request: z.object({ allowed: z.boolean() }).strict(), response: Ok },
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export const requestNames = Object.keys(requests) as RequestName[];
export type RequestOf<E extends RequestName> = z.infer<Requests[E]['request']>;
export type ResponseOf<E extends RequestName> = z.infer<Requests[E]['response']>;
export type AckOf<E extends RequestName> = (response: ResponseOf<E> | ErrorBody) => void;

export const NewConsumer = z.object({
  consumerId: EntityId,
  producerId: EntityId,
  seatId: SeatId,
  kind: MediaKind,
  source: MediaSource,
  rtpParameters: RtpParameters,
  producerPaused: z.boolean(),
});
export type NewConsumer = z.infer<typeof NewConsumer>;

const LeaveReason = z.enum(['left', 'removed', 'timeout', 'ended', 'denied']);

/** Every server→client notification. */
export const notifications = {
  'session:admitted': AdmittedState,
  'session:denied': z.object({ code: z.literal('DENIED'), message: z.string() }),
  'session:removed': z.object({ code: z.literal('REMOVED'), message: z.string() }),
  'session:ended': z.object({ code: z.literal('SESSION_ENDED'), message: z.string() }),
  /** Another tab or device took this seat over; this socket is about to be closed. */
  'session:replaced': z.object({}),
  'session:updated': SessionSummary,
  'waiting:updated': z.object({ waiting: z.array(Participant) }),
  'peer:joined': Participant,
  'peer:updated': Participant,
  'peer:left': z.object({ seatId: SeatId, reason: LeaveReason }),
  'consumer:closed': z.object({ consumerId: EntityId }),
  'consumer:paused': z.object({ consumerId: EntityId }),
  'consumer:resumed': z.object({ consumerId: EntityId }),
  'consumer:layers': z.object({ consumerId: EntityId, layers: Layers.nullable() }),
  'you:muted': z.object({ source: MediaSource }),
  'you:unmuteRequested': z.object({}),
  /** A request sent without an ack callback failed; the client is told here instead. */
  'request:rejected': z.object({ event: z.string(), error: z.object({ code: z.string(), message: z.string() }) }),
  'speaker:active': z.object({ seatId: SeatId }),
  'chat:message': z.object({
    from: SeatId,
    fromName: z.string(),
    /** Set when the message went to one person rather than to everyone. */
    to: SeatId.optional(),
    toHosts: z.boolean(),
    text: ChatText,
    at: z.string(),
  }),

  // ---- agreements and judicial confirmation (docs) ----
  ...agreementNotifications,
  // ---- supervised visits (issue 12) ----
  /** The visit ends by itself in secondsLeft (sent at 5 minutes and 1 minute). */
  'visit:warning': z.object({ secondsLeft: z.number().int().positive(), endsAt: z.string() }),
  // ---- village network (issue 8) ----
  /** The SFU's bandwidth estimate towards this seat (its receive transport's transport-cc estimate), once a second. */
  'media:downlink': z.object({ availableKbit: z.number().int().nonnegative() }),
} as const;

export type Notifications = typeof notifications;
export type NotificationName = keyof Notifications;
export type NotificationOf<E extends NotificationName> = z.infer<Notifications[E]>;

export type ClientToServerEvents = { [E in RequestName]: (payload: RequestOf<E>, ack: AckOf<E>) => void };
export type ServerToClientEvents = { [E in NotificationName]: (payload: NotificationOf<E>) => void } & {
  /** A consumer created paused; the client acks once it is set up, and only then does the server resume it. */
  'consumer:new': (payload: NewConsumer, ack: (response: { ok: true } | ErrorBody) => void) => void;
};

/**
 * The policy action each request needs (see policy.ts). Producing a screen is
 * 'share_screen'; everything else is fixed per request.
 */
export const requestActions: Readonly<Record<RequestName, SeatAction>> = {
  'session:join': 'join',
  'session:resume': 'join',
  'session:leave': 'leave',
  'session:raiseHand': 'raise_hand',
  'host:admit': 'admit',
  'host:deny': 'admit',
  'host:remove': 'remove',
  'host:mute': 'mute',
  'host:requestUnmute': 'mute',
  'host:stopVideo': 'mute',
  'host:lock': 'lock',
  'host:end': 'end',
  'host:autoAdmit': 'auto_admit',
  'host:handover': 'handover',
  'caucus:open': 'caucus',
  'caucus:move': 'caucus',
  'caucus:close': 'caucus',
  'caucus:returnAll': 'caucus',
  'media:capabilities': 'receive',
  'media:createTransport': 'receive',
  'media:connectTransport': 'receive',
  'media:restartIce': 'receive',
  'media:closeTransport': 'receive',
  'media:produce': 'publish',
  'media:closeProducer': 'receive',
  'media:pauseProducer': 'receive',
  'media:resumeProducer': 'receive',
  'media:ready': 'receive',
  'media:consume': 'receive',
  'media:pauseConsumer': 'receive',
  'media:resumeConsumer': 'receive',
  'media:setPreferredLayers': 'receive',
  'net:ping': 'join',
  'probe:start': 'join',
  'probe:connect': 'join',
  'probe:produce': 'join',
  'probe:result': 'join',
  'chat:send': 'chat',

  // ---- agreements and judicial confirmation (docs) ----
  'agreement:get': 'receive',
  'agreement:edit': 'edit_agreement',
  // Confirming a clause is part of signing one's own line: only a party, only for themselves.
  'agreement:confirmClause': 'sign',
  'agreement:sign': 'sign',
  'agreement:finalize': 'edit_agreement',
  'court:call': 'call_court',
  'court:decide': 'confirm',
  // recording (issue 9)
  'record:start': 'record',
  'record:stop': 'record',
  'caucus:setRecording': 'caucus',
  // ---- supervised visits (issue 12) ----
  'visit:allowChat': 'allow_chat',
};

export function requestAction<E extends RequestName>(event: E, payload: RequestOf<E>): SeatAction {
  if (event === 'media:produce' && (payload as RequestOf<'media:produce'>).source === 'screen') return 'share_screen';
  return requestActions[event];
}

/** The only requests a socket may make before its own join has admitted it. */
export const allowedBeforeAdmission: readonly RequestName[] = [
  'session:join',
  'session:resume',
  'session:leave',
  'net:ping',
  'probe:start',
  'probe:connect',
  'probe:produce',
  'probe:result',
];
