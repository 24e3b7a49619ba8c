import { useTranslation } from 'react-i18next';
import type { Participant } from '../../../../signaling/index.js';
import type { RoomClient } from '../../room/index.js';
import { WaitingList } from './WaitingList.js';

const shownAtOnce = 2;

/**
 * Over the stage while someone waits and the participant list is closed, so a
 * host on a phone can admit without hunting for a panel (腾讯会议's
 * "等候室有成员" prompt). The full list is one tap away.
 */
export function WaitingBanner({ client, waiting, onShowAll }: { client: RoomClient; waiting: Participant[]; onShowAll(): void }) {
  const { t } = useTranslation();
  if (waiting.length === 0) return null;
  return (
    <aside className="waiting-banner" aria-label={t('host.waitingList', { count: waiting.length })} data-testid="waiting-banner">
      <p className="banner-title" role="status">
        {t('host.waitingList', { count: waiting.length })}
      </p>
      <WaitingList client={client} waiting={waiting.slice(0, shownAtOnce)} />
      {waiting.length > shownAtOnce && (
        <button type="button" onClick={onShowAll} data-testid="waiting-show-all">
          {t('host.showAll')}
        </button>
      )}
    </aside>
  );
}
