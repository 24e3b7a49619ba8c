import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { setupI18n } from './i18n/index.js';
import { App } from './ui/App.js';
import './ui/styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('#root missing from index.html');
void setupI18n().then(() => {
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  // The room screen is fetched by the invite page once its RoomClient has arrived (one download at a time on a village link).
});
