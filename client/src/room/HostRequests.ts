import type { Participant } from '../../../signaling/index.js';
import { Emitter } from './Emitter.js';
import type { Signaling } from './Signaling.js';

/**
 * What the host (and, where the policy allows, a co-host) asks of the server:
 * people, the session, recording and caucus rooms. The server decides each
 * one with the one policy; the UI only hides what it would refuse.
 */
export abstract class HostRequests<Events extends Record<string, unknown[]>> extends Emitter<Events> {
  protected abstract readonly signaling: Signaling;
  /** Everyone else in the session now. */
  protected abstract others(): Participant[];

  readonly admit = (seatId: string) => this.signaling.request('host:admit', { seatId });
  readonly deny = (seatId: string) => this.signaling.request('host:deny', { seatId });
  readonly remove = (seatId: string) => this.signaling.request('host:remove', { seatId });
  readonly mute = (seatId: string) => this.signaling.request('host:mute', { seatId });
  readonly requestUnmute = (seatId: string) => this.signaling.request('host:requestUnmute', { seatId });
  readonly stopVideo = (seatId: string) => this.signaling.request('host:stopVideo', { seatId });
  readonly lock = (locked: boolean) => this.signaling.request('host:lock', { locked });
  readonly end = () => this.signaling.request('host:end', {});
  readonly handover = (seatId: string) => this.signaling.request('host:handover', { seatId });

  /** Mutes everyone else, one host:mute each: each one is checked by the server (a co-host may not mute the host). */
  async muteAll(): Promise<void> {
    await Promise.allSettled(
      this.others()
        .filter((p) => !p.host)
        .map((p) => this.mute(p.seatId)),
    );
  }

  // Recording (issue 9): the summary's `recording` flag comes back in session:updated.
  readonly startRecording = () => this.signaling.request('record:start', {});
  readonly stopRecording = () => this.signaling.request('record:stop', {});
  readonly setCaucusRecording = (roomId: string, recorded: boolean) => this.signaling.request('caucus:setRecording', { roomId, recorded });

  // Caucus rooms (背对背调解).
  readonly openCaucus = (name: string) => this.signaling.request('caucus:open', { name });
  readonly moveToRoom = (seatIds: string[], roomId: string) => this.signaling.request('caucus:move', { seatIds, roomId });
  readonly closeCaucus = (roomId: string) => this.signaling.request('caucus:close', { roomId });
  readonly returnAll = () => this.signaling.request('caucus:returnAll', {});
}
