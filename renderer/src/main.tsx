// Entry: pick the transport once, connect the store, render.
// The global styles come first, so that each component's stylesheet (imported by the component) follows them.
import './styles/base.css';
import './styles/controls.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, NoCredentialApp } from './app.js';
import { pickBridge } from './bridge/pick-bridge.js';
import type { RendererBridge } from './bridge/renderer-bridge.js';
import { createWebBridge } from './bridge/web-bridge.js';
import { useCompanionStore } from './store/companion-store.js';

const choice = pickBridge(window);
const root = createRoot(document.getElementById('root')!);
const start = (bridge: RendererBridge, kind: 'electron' | 'web'): void => {
  useCompanionStore.getState().connect(bridge, kind);
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
};
if (choice.kind === 'no-credential') {
  // Signed in with the passphrase (serve as a service): the session it bought, kept in memory only.
  root.render(<NoCredentialApp onSignedIn={(sessionToken) => start(createWebBridge('', { sessionToken }), 'web')} />);
} else {
  start(choice.bridge, choice.kind);
}
