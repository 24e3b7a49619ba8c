import { io, type Socket } from 'socket.io-client';
import {
  assertWithinByteLimit,
  type ClientToServerEvents,
  CourtLinkError,
  type ErrorBody,
  type ErrorCode,
  heartbeat,
  isErrorBody,
  type RequestName,
  type RequestOf,
  type ResponseOf,
  type ServerToClientEvents,
} from '../../../signaling/index.js';

export type ServerSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** An error the server answered with: a catalogue code and a message fit to show. */
export class RoomError extends Error {
  constructor(
    readonly code: ErrorCode | 'TIMEOUT' | 'DISCONNECTED',
    message: string,
  ) {
    super(message);
    this.name = 'RoomError';
  }
}

const requestTimeoutMs = 15_000;
/** A fresh socket opened to resume a stalled one gives up after this long without connecting. */
const freshConnectTimeoutMs = 2500;

/**
 * The socket.io connection, typed by the shared contract: request() resolves with the ack or throws a RoomError.
 * The socket can be replaced by a fresh one (its own TCP connection) that resumed the seat (SignalWatch): requests
 * go out on whichever socket is current.
 */
export class Signaling {
  private current: ServerSocket;
  /** When anything last arrived on the current socket: the server's heartbeat ping, a notification or an answer. */
  private heardAt = performance.now();

  constructor(
    private readonly serverUrl: string,
    private readonly token: string,
  ) {
    this.current = this.open(false);
  }

  get socket(): ServerSocket {
    return this.current;
  }

  /** Connected, yet nothing heard for longer than the heartbeat allows: stuck in TCP back-off (or gone). */
  stalled(now = performance.now()): boolean {
    return this.current.connected && now - this.heardAt > heartbeat.stalledAfterMs;
  }

  /** A socket of its own, beside the current one (forceNew: a new TCP connection with a fresh retransmission timer). */
  openFresh(): ServerSocket {
    return this.open(true);
  }

  /** Makes a fresh socket the current one (it has resumed the seat, or will join) and closes the old one. */
  adopt(socket: ServerSocket): void {
    const old = this.current;
    this.current = socket;
    this.heardAt = performance.now();
    socket.io.reconnection(true);
    old.removeAllListeners();
    old.close();
  }

  private open(fresh: boolean): ServerSocket {
    const socket: ServerSocket = io(this.serverUrl, {
      auth: { token: this.token },
      transports: ['websocket', 'polling'],
      // A fresh socket tries once; once adopted it reconnects like the first.
      reconnection: !fresh,
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
      ...(fresh ? { forceNew: true, timeout: freshConnectTimeoutMs } : {}),
    });
    const heard = () => {
      if (socket === this.current) this.heardAt = performance.now();
    };
    socket.io.on('ping', heard);
    socket.io.on('packet', heard);
    socket.io.on('open', heard);
    return socket;
  }

  /** Resolves once the current socket is connected; rejects if it cannot connect. */
  connected(): Promise<void> {
    const socket = this.current;
    if (socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
  }

  request<E extends RequestName>(event: E, payload: RequestOf<E>): Promise<ResponseOf<E>> {
    return this.requestOn(this.current, event, payload);
  }

  /**
   * As request(), on a given socket: a fresh one asks `session:resume` before it is adopted. Answers within
   * `timeoutMs` or throws TIMEOUT (DISCONNECTED when the socket dropped or was replaced meanwhile).
   */
  async requestOn<E extends RequestName>(
    socket: ServerSocket,
    event: E,
    payload: RequestOf<E>,
    timeoutMs = requestTimeoutMs,
  ): Promise<ResponseOf<E>> {
    let answer: ResponseOf<E> | ErrorBody;
    try {
      // The server would refuse it the same way; checked here so a village link never carries it.
      assertWithinByteLimit(event, payload);
    } catch (err) {
      if (err instanceof CourtLinkError) throw new RoomError(err.code, err.message);
      throw err;
    }
    const current = socket === this.current;
    try {
      // The typed emit cannot take a generic event name; the signature above keeps callers typed.
      const timed = socket.timeout(timeoutMs);
      const emit = timed.emitWithAck.bind(timed) as (e: string, p: unknown) => Promise<ResponseOf<E> | ErrorBody>;
      answer = await emit(event, payload);
    } catch {
      // A socket replaced while the request waited on it counts as dropped: the caller asks again.
      throw socket.connected && (socket === this.current) === current
        ? new RoomError('TIMEOUT', 'The server did not answer in time.')
        : new RoomError('DISCONNECTED', 'The connection to the server was lost.');
    }
    if (isErrorBody(answer)) throw new RoomError(answer.error.code, answer.error.message);
    return answer as ResponseOf<E>;
  }

  close(): void {
    this.current.close();
  }
}
