import type { DeadlineService } from '../deadlines/index.js';
import type { Logger } from '../log/index.js';
import type { Presence } from './Presence.js';
import type { SessionCore } from './SessionCore.js';
import type { SessionMedia } from './SessionMedia.js';
import type { SessionView } from './SessionView.js';

/** What every feature slice of a live session works with. */
export type SessionContext = {
  core: SessionCore;
  presence: Presence;
  view: SessionView;
  media: SessionMedia;
  deadlines: DeadlineService;
  graceMs: number;
  log: Logger;
};

/** The deadline that releases a dropped seat once its grace period has run out. */
export const graceDeadline = { kind: 'grace', key: (sessionId: string, seatId: string) => `${sessionId}:${seatId}` } as const;
