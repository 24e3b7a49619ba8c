import { io, type Socket } from 'socket.io-client';
import {
  assertWithinByteLimit,
  type ClientToServerEvents,
  CourtLinkError,
  type ErrorBody,
  type ErrorCode,
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

/** The socket.io connection, typed by the shared contract: request() resolves with the ack or throws a RoomError. */
export class Signaling {
  readonly socket: ServerSocket;

  constructor(serverUrl: string, token: string) {
    this.socket = io(serverUrl, {
      auth: { token },
      transports: ['websocket', 'polling'],
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
  }

  async request<E extends RequestName>(event: E, payload: RequestOf<E>): Promise<ResponseOf<E>> {
    let answer: ResponseOf<E> | ErrorBody;
    try {
      // The server would refuse it the same way; checked here so a village link never carries it.
      assertWithinByteLimit(event, payload);
    } catch (err) {
      if (err instanceof CourtLinkError) throw new RoomError(err.code, err.message);
      throw err;
    }
    try {
      // The typed emit cannot take a generic event name; the signature above keeps callers typed.
      const timed = this.socket.timeout(requestTimeoutMs);
      const emit = timed.emitWithAck.bind(timed) as (e: string, p: unknown) => Promise<ResponseOf<E> | ErrorBody>;
      answer = await emit(event, payload);
    } catch {
      throw this.socket.connected
        ? new RoomError('TIMEOUT', 'The server did not answer in time.')
        : new RoomError('DISCONNECTED', 'The connection to the server was lost.');
    }
    if (isErrorBody(answer)) throw new RoomError(answer.error.code, answer.error.message);
    return answer as ResponseOf<E>;
  }

  close(): void {
    this.socket.close();
  }
}
