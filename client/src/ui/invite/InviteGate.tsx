import { Suspense, useEffect, useState } from 'react';
import { type InviteResolution, resolveInvite } from '../../room/inviteLink.js';
import { helpContact } from '../helpContact.js';
import { Loading } from '../Loading.js';
import { AwaitingApprovalScreen } from './AwaitingApprovalScreen.js';
import { EndView } from './EndScreen.js';
import { InvitePage } from './InvitePage.js';

/** /j/<id>: learns what the link leads to, then runs the self-test, says the officer has not approved a visit's family member yet, or says plainly why the link no longer works. */
export function InviteGate({ id }: { id: string }) {
  const [resolution, setResolution] = useState<InviteResolution>();
  useEffect(() => {
    void resolveInvite(id).then(setResolution);
  }, [id]);

  if (!resolution) return <Loading />;
  if (resolution.status === 'open')
    return (
      // The room screen loads behind the self-test (a separate chunk).
      <Suspense fallback={<Loading />}>
        <InvitePage token={resolution.token} />
      </Suspense>
    );
  if (resolution.status === 'awaiting_approval')
    return <AwaitingApprovalScreen id={id} resolution={resolution} onResolved={setResolution} />;
  const reason = resolution.status === 'unreachable' ? 'failed' : resolution.status;
  const title = 'session' in resolution ? resolution.session.title : undefined;
  return <EndView phase={reason} reason={reason} code="" title={title} contact={helpContact(undefined)} />;
}
