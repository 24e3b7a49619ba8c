import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

type Props = { title: string; testId: string; onClose(): void; children: ReactNode };

/**
 * A panel over the video: a bottom sheet on phones, a side sheet on wider
 * screens. The video keeps its size underneath, so opening the chat never
 * reshuffles the tiles. Focus moves in; Escape closes.
 */
export function Sheet({ title, testId, onClose, children }: Props) {
  const { t } = useTranslation();
  const element = useRef<HTMLElement>(null);
  useEffect(() => {
    element.current?.focus();
  }, []);
  return (
    <section
      ref={element}
      className="sheet"
      role="dialog"
      aria-label={title}
      data-testid={testId}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header className="sheet-head">
        <h2>{title}</h2>
        <button type="button" className="link-button" onClick={onClose} data-testid="sheet-close">
          {t('room.close')}
        </button>
      </header>
      <div className="sheet-body">{children}</div>
    </section>
  );
}
