import { type AdmittedState, coHostRoles, type Participant, type WaitingState } from '../../signaling/index.js';
import type { Presence } from './Presence.js';
import type { SessionCore } from './SessionCore.js';
import type { SeatRecord } from './SessionStore.js';

/** What participants are shown of the session: roster entries, the waiting list, the state a newcomer gets. */
export class SessionView {
  constructor(
    private readonly core: SessionCore,
    private readonly presence: Presence,
  ) {}

  participant(seat: SeatRecord): Participant {
    return {
      seatId: seat.seatId,
      displayName: seat.displayName,
      role: seat.role,
      host: this.core.isHost(seat.seatId),
      state: seat.state,
      connected: this.presence.connected(seat.seatId),
      ...(seat.selfTest ? { selfTest: seat.selfTest } : {}),
      handRaised: this.presence.handRaised(seat.seatId),
      location: seat.location,
      ...(seat.side ? { side: seat.side } : {}),
      ...(seat.approved === false ? { approved: false } : {}),
    };
  }

  /** The host and co-hosts see the waiting room. */
  seesWaiting(seat: SeatRecord): boolean {
    return seat.state === 'admitted' && (this.core.isHost(seat.seatId) || coHostRoles.includes(seat.role));
  }

  waitingList(): Participant[] {
    return [...this.core.seats.values()]
      .filter((s) => s.state === 'waiting' && this.presence.connected(s.seatId))
      .map((s) => this.participant(s));
  }

  admittedState(seat: SeatRecord, resumed: boolean, activeSpeaker: string | undefined): AdmittedState {
    const participants = [...this.core.seats.values()]
      .filter((s) => s.state === 'admitted' && s.seatId !== seat.seatId && this.presence.connected(s.seatId))
      .map((s) => this.participant(s));
    return {
      state: 'admitted',
      session: this.core.record,
      you: this.participant(seat),
      participants,
      waiting: this.seesWaiting(seat) ? this.waitingList() : [],
      resumed,
      ...(activeSpeaker ? { activeSpeaker } : {}),
    };
  }

  waitingState(seat: SeatRecord): WaitingState {
    return { state: 'waiting', session: this.core.record, you: this.participant(seat) };
  }
}
