import type { ResponseOf } from '../../../signaling/index.js';
import { RoomError, type ServerSocket, type Signaling } from './Signaling.js';

export type ResumeAnswer = ResponseOf<'session:resume'>;

/** What the room does with a socket that reached the server. */
export type SignalWatchHooks = {
  /** Joined with media up: the only time a stuck socket is worth replacing (otherwise the join path rebuilds). */
  resumable(): boolean;
  /** The fresh socket resumed the seat: adopt it, apply the answer; media untouched. */
  resumed(socket: ServerSocket, answer: ResumeAnswer): void;
  /** The server had nothing to resume (it restarted, or the seat's media is gone): adopt it and join afresh. */
  rejoin(socket: ServerSocket): void;
};

/** How often the socket's silence is checked. */
const checkEveryMs = 500;
/** One attempt: connecting (Signaling gives up after 2.5 s) and the resume's answer. */
const attemptMs = 4000;

/**
 * Replaces a signalling socket stuck in TCP back-off with a fresh one that resumes the seat.
 *
 * Why: after 20 s at 30 kbit/s (bench S4) the WebSocket's TCP retransmission timer had backed off so far
 * that nothing crossed the socket for about 9 s after the link cleared, although media flowed again: the
 * village's request for its video back, and the SFU's estimates and layer changes, all waited. A TCP
 * connection cannot be told to retry sooner, but a new one starts with a fresh timer. The server's heartbeat
 * (a ping every 2 s) makes a stuck socket visible: silent for 3.5 s, a fresh socket is opened beside it
 * (one at a time; each try is a SYN, a few bytes on a link that is still thin). When it connects it asks
 * `session:resume`, and the server moves the seat to it without touching media (LiveKit's "resume", as
 * opposed to a full reconnect). A socket that drops outright takes the same path through RoomClient's
 * 'connect' handler.
 */
export class SignalWatch {
  private timer: ReturnType<typeof setInterval> | undefined;
  private attempt: ServerSocket | undefined;

  constructor(
    private readonly signaling: Signaling,
    private readonly hooks: SignalWatchHooks,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.check(), checkEveryMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.abandon();
  }

  private check(): void {
    if (this.attempt || !this.hooks.resumable() || !this.signaling.stalled()) return;
    const socket = this.signaling.openFresh();
    this.attempt = socket;
    const giveUp = setTimeout(() => this.abandon(socket), attemptMs);
    socket.once('connect_error', () => this.abandon(socket));
    socket.once('connect', () => {
      this.signaling.requestOn(socket, 'session:resume', {}, attemptMs).then(
        (answer) => {
          clearTimeout(giveUp);
          if (this.attempt !== socket) return;
          this.attempt = undefined;
          this.hooks.resumed(socket, answer);
        },
        (err) => {
          clearTimeout(giveUp);
          // Refused for a reason a fresh join answers better (the server restarted, the media is gone).
          if (err instanceof RoomError && err.code === 'CONFLICT' && this.attempt === socket) {
            this.attempt = undefined;
            this.hooks.rejoin(socket);
          } else this.abandon(socket);
        },
      );
    });
  }

  /** Drops the attempt (the stuck socket stays current; the next check may try again). */
  private abandon(socket = this.attempt): void {
    if (!socket || socket !== this.attempt) return;
    this.attempt = undefined;
    socket.removeAllListeners();
    socket.close();
  }
}
