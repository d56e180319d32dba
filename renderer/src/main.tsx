// Entry: pick the transport once, connect the store, render.
// The global styles come first, so that each component's stylesheet (imported by the component) follows them.
import './styles/base.css';
import './styles/controls.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, NoCredentialApp } from './app.js';
import { pickBridge } from './bridge/pick-bridge.js';
import { useCompanionStore } from './store/companion-store.js';

const choice = pickBridge(window);
const root = createRoot(document.getElementById('root')!);
if (choice.kind === 'no-credential') {
  root.render(<NoCredentialApp />);
} else {
  useCompanionStore.getState().connect(choice.bridge, choice.kind);
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
