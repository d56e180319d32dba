// Builds the renderer into dist/renderer. `base: './'` keeps asset URLs relative so the same
// build loads from file:// in Electron and from the headless server.
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// The dev server's React Refresh preamble is an inline script, which the CSP meta forbids.
// Allow it in `vite dev` only; the built index.html keeps the strict policy untouched.
const relaxCspForDev: Plugin = {
  name: 'relax-csp-for-dev',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
};

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), relaxCspForDev],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // The polyfill is not needed by Chromium/Electron and would be one more thing to audit.
    modulePreload: { polyfill: false },
  },
  server: { host: '127.0.0.1' },
});
