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
  // The self-test is on screen; fetch the room while the person checks camera and microphone, so joining waits for nothing.
  if (/^\/j\//.test(window.location.pathname)) setTimeout(() => void import('./ui/room/RoomScreen.js'), 1500);
});
