// Electron end-to-end tests: `playwright test -c test/electron`. Kept apart from the browser e2e
// config because these launch the Electron binary, not Chromium, and skip where it is absent.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  workers: 1,
  retries: 0,
  reporter: 'list',
  timeout: 60_000,
});
