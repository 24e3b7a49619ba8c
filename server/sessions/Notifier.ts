import { type DomainEvent, errorCatalogue } from '../../signaling/index.js';
import type { Presence } from './Presence.js';
import type { SessionCore } from './SessionCore.js';
import type { SessionView } from './SessionView.js';

/**
 * Turns domain events into client notifications. The roster (who is here, in
 * which room, who hosts) goes to everyone admitted; the waiting list to the
 * host and co-hosts. Media, chat and the active speaker follow the audience
 * rule elsewhere (SessionMedia, Chat).
 */
export function attachNotifier(
  core: SessionCore,
  presence: Presence,
  view: SessionView,
  /** Who speaks in a room right now, so someone admitted mid-conversation need not wait for the next change. */
  speakerIn: (location: string) => string | undefined,
): void {
  const admitted = (except?: string) => (seat: { seatId: string; state: string }) => seat.state === 'admitted' && seat.seatId !== except;
  const roster = (seatId: string, except?: string) => {
    const seat = core.seats.get(seatId);
    if (seat) presence.notifyWhere(admitted(except), 'peer:updated', view.participant(seat));
  };
  const waitingChanged = () => presence.notifyWhere((seat) => view.seesWaiting(seat), 'waiting:updated', { waiting: view.waitingList() });
  const sessionChanged = () => presence.notifyWhere(admitted(), 'session:updated', core.record);
  const refuse = (seatId: string, event: 'session:denied' | 'session:removed', code: 'DENIED' | 'REMOVED') => {
    const channel = presence.channel(seatId);
    channel?.notify(event, { code, message: errorCatalogue[code].message } as never);
    channel?.close();
  };

  core.on('event', (event: DomainEvent) => {
    switch (event.type) {
      case 'seat.waiting':
        waitingChanged();
        return;
      case 'seat.admitted': {
        const { seatId, how } = event.data;
        const seat = core.seats.get(seatId);
        if (!seat) return;
        // Someone joining by themselves gets their state in the join's answer; someone admitted by the host is told here.
        if (how === 'host') presence.channel(seatId)?.notify('session:admitted', view.admittedState(seat, false, speakerIn(seat.location)));
        // A seat back within its grace period was never announced as gone: it is an update, not a newcomer.
        presence.notifyWhere(admitted(seatId), how === 'returned' ? 'peer:updated' : 'peer:joined', view.participant(seat));
        if (how !== 'returned') waitingChanged();
        return;
      }
      case 'seat.denied':
        refuse(event.data.seatId, 'session:denied', 'DENIED');
        waitingChanged();
        return;
      case 'seat.removed':
      case 'seat.left':
      case 'seat.expired': {
        const { seatId, from } = event.data;
        if (event.type === 'seat.removed') refuse(seatId, 'session:removed', 'REMOVED');
        if (from === 'admitted') {
          const reason = event.type === 'seat.removed' ? 'removed' : event.type === 'seat.left' ? 'left' : 'timeout';
          presence.notifyWhere(admitted(seatId), 'peer:left', { seatId, reason });
        } else waitingChanged();
        return;
      }
      case 'seat.disconnected': {
        const seat = core.seats.get(event.data.seatId);
        if (seat?.state === 'admitted') roster(seat.seatId);
        else waitingChanged();
        return;
      }
      case 'seat.handRaised':
        roster(event.data.seatId);
        return;
      case 'host.muted':
        presence.channel(event.data.seatId)?.notify('you:muted', { source: event.data.source });
        return;
      case 'host.unmuteRequested':
        presence.channel(event.data.seatId)?.notify('you:unmuteRequested', {});
        return;
      case 'host.handedOver':
        sessionChanged();
        roster(event.data.from);
        roster(event.data.to);
        waitingChanged();
        return;
      case 'caucus.moved':
        for (const seatId of event.data.seatIds) roster(seatId);
        return;
      case 'session.started':
      case 'session.locked':
      case 'host.autoAdmitChanged':
      case 'caucus.opened':
      case 'caucus.closed':
      case 'caucus.recordingSet':
      // recording (issue 9): the summary's `recording` flag drives the banner and indicator
      case 'recording.started':
      case 'recording.stopped':
      case 'recording.interrupted':
        sessionChanged();
        return;
      case 'session.ended':
        // Everyone is told at once; the channels are closed by HostControls.end once the media is down.
        presence.notifyWhere(() => true, 'session:ended', { code: 'SESSION_ENDED', message: errorCatalogue.SESSION_ENDED.message });
        return;
      default:
        return;
    }
  });
}
