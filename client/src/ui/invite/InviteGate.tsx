import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type InviteResolution, resolveInvite } from '../../room/inviteLink.js';
import { helpContact } from '../helpContact.js';
import { EndView } from './EndScreen.js';
import { InvitePage } from './InvitePage.js';

/** /j/<id>: learns what the link leads to, then runs the self-test, or says plainly why the link no longer works. */
export function InviteGate({ id }: { id: string }) {
  const { t } = useTranslation();
  const [resolution, setResolution] = useState<InviteResolution>();
  useEffect(() => {
    void resolveInvite(id).then(setResolution);
  }, [id]);

  if (!resolution)
    return (
      <main aria-busy="true" className="centered">
        {t('errors.loading')}
      </main>
    );
  if (resolution.status === 'open') return <InvitePage token={resolution.token} />;
  const reason = resolution.status === 'unreachable' ? 'failed' : resolution.status;
  const title = 'session' in resolution ? resolution.session.title : undefined;
  return <EndView phase={reason} reason={reason} code="" title={title} contact={helpContact(undefined)} />;
}
