import type { Page } from 'playwright-core';
import type { VillageSetup } from './fixtures.js';
import { admitFromUi, openInvite, waitForMediaFrom } from './room.js';
import { createSession, type Invite, invite } from './signaling.js';

export type VillageSession = {
  sessionId: string;
  mediatorInvite: Invite;
  partyInvite: Invite;
  /** The mediator in the office browser. */
  mediator: Page;
  /** The party in the village browser. */
  party: Page;
};

/**
 * A mediation with the mediator in the office and one party in the village, admitted from the mediator's
 * waiting list, once each side receives the other's media.
 */
export async function villageMediation(v: VillageSetup, partyName: string): Promise<VillageSession> {
  const sessionId = await createSession(v.server, 'mediation', '山区巡回调解');
  const mediatorInvite = await invite(v.server, sessionId, 'mediator', '调解员');
  const partyInvite = await invite(v.server, sessionId, 'party', partyName);
  const mediator = await openInvite(v.office, v.reachable(mediatorInvite.url));
  const party = await openInvite(v.villageBrowser, v.reachable(partyInvite.url));
  await party.getByTestId('waiting-room').waitFor();
  await admitFromUi(mediator, partyName);
  await waitForMediaFrom(party, ['调解员']);
  await waitForMediaFrom(mediator, [partyName]);
  return { sessionId, mediatorInvite, partyInvite, mediator, party };
}
