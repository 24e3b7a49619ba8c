import { EventEmitter } from 'node:events';
import {
  type Actor,
  assertAllowed,
  type DomainEvent,
  type DomainEventDataOf,
  type DomainEventType,
  type EventActor,
  isRecordingForced,
  type PolicyState,
  type PolicyTarget,
  type SeatAction,
} from '../../signaling/index.js';
import type { AuditTrail, StateWrite } from '../audit/index.js';
import type { SeatRecord, SessionRecord, SessionStore } from './SessionStore.js';

/** What an event changes: fields of the session record, whole seats, and other writes that must land with it. */
export type Change = { record?: Partial<SessionRecord>; seats?: SeatRecord[]; writes?: StateWrite[] };

type CoreEvents = { event: [DomainEvent] };

/**
 * The one place a session changes state. `commit` writes the new state and the
 * event's audit entry in one atomic Redis call, then updates memory and tells
 * the subscribers (client notifications, media, and later the recorder and
 * ledger). Nothing else writes the session record or its seats.
 */
export class SessionCore extends EventEmitter<CoreEvents> {
  /** Where the mediation agreement stands and whether the court's call is open; kept by the agreement slice (server/agreements). */
  agreementPolicy: Pick<PolicyState, 'agreement' | 'courtCallOpen'> = { agreement: 'none', courtCallOpen: false };

  constructor(
    private current: SessionRecord,
    readonly seats: Map<string, SeatRecord>,
    private readonly store: SessionStore,
    private readonly audit: AuditTrail,
  ) {
    super();
  }

  get record(): SessionRecord {
    return this.current;
  }

  get id(): string {
    return this.current.id;
  }

  async commit<T extends DomainEventType>(
    actor: EventActor,
    type: T,
    data: DomainEventDataOf<T>,
    change: Change = {},
  ): Promise<DomainEvent<T>> {
    const event = { type, sessionId: this.id, at: new Date().toISOString(), actor, data } as DomainEvent<T>;
    const record = change.record ? { ...this.current, ...change.record } : undefined;
    const writes: StateWrite[] = [];
    if (record) writes.push(this.store.sessionWrite(record));
    for (const seat of change.seats ?? []) writes.push(this.store.seatWrite(this.id, seat));
    writes.push(...(change.writes ?? []));
    await this.audit.append(event as DomainEvent, writes);
    if (record) this.current = record;
    for (const seat of change.seats ?? []) this.seats.set(seat.seatId, seat);
    this.emit('event', event as DomainEvent);
    return event;
  }

  /** A copy of a seat with changes, for a commit. */
  seatWith(seatId: string, change: Partial<SeatRecord>): SeatRecord {
    const seat = this.seats.get(seatId);
    if (!seat) throw new Error(`no seat ${seatId}`);
    return { ...seat, ...change };
  }

  // ---- the policy's view of this session -------------------------------------------

  policyState(): PolicyState {
    const r = this.current;
    return {
      type: r.type,
      status: r.status,
      locked: r.locked,
      orgId: r.orgId,
      grantedOrgIds: r.grantedOrgIds,
      recordingForced: isRecordingForced(r.type),
      agreement: this.agreementPolicy.agreement,
      courtCallOpen: this.agreementPolicy.courtCallOpen === true && r.status !== 'ended',
      chatAllowed: r.visitChatAllowed === true,
    };
  }

  actorOf(seatId: string): Actor {
    const seat = this.seats.get(seatId);
    if (!seat) return { kind: 'seat', seatId, role: 'observer', state: 'removed', host: false };
    return {
      kind: 'seat',
      seatId,
      role: seat.role,
      state: seat.state,
      host: this.current.hostSeatId === seatId,
      ...(seat.approved === false ? { approved: false } : {}),
    };
  }

  targetOf(seatId: string | undefined): PolicyTarget | undefined {
    const seat = seatId ? this.seats.get(seatId) : undefined;
    return seat && { seatId: seat.seatId, role: seat.role, host: this.current.hostSeatId === seat.seatId, state: seat.state };
  }

  /** The one policy, asked with this session's current state. */
  authorize(actorSeatId: string, action: SeatAction, targetSeatId?: string): void {
    assertAllowed(this.actorOf(actorSeatId), action, this.targetOf(targetSeatId), this.policyState());
  }

  isHost(seatId: string): boolean {
    return this.current.hostSeatId === seatId;
  }

  eventActor(seatId: string): EventActor {
    const seat = this.seats.get(seatId);
    return { kind: 'seat', seatId, role: seat?.role ?? 'observer' };
  }
}
