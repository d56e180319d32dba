// The start-at-login setting in the window, against a real `serve`: the headless companion cannot start
// at login, so the toggle is off-limits and says where it is set; with IT's `autostart`, it shows IT's
// answer, locked, naming the organisation and the policy key.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, SCREENSHOTS, startServer } from './companion-processes.js';

let server: RunningServer | undefined;
let dir: string | undefined;

test.afterEach(async () => {
  if (server) {
    const { code } = await server.stop();
    expect(code, server.stderr()).toBe(0);
  }
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openSettings(page: Page, s: RunningServer) {
  await page.goto(await s.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Settings' }).click();
}

test('headless: shown, off-limits, saying it is set in the desktop app', async ({ page }) => {
  server = await startServer();
  await openSettings(page, server);
  const toggle = page.getByRole('checkbox', { name: 'Start Cowork Companion when you log in' });
  await expect(toggle).toBeDisabled();
  await expect(toggle).toBeChecked();
  await expect(toggle).toHaveAccessibleDescription('Starting at login is set in the desktop app.');
});

test("IT's autostart: IT's answer, locked, with the organisation and the policy key", async ({ page }) => {
  dir = mkdtempSync(join(tmpdir(), 'companion-e2e-autostart-'));
  const file = join(dir, 'policy.json');
  writeFileSync(file, JSON.stringify({ autostart: false, organization: { name: 'Example Corp' } }));
  server = await startServer({ policyFile: file });
  await openSettings(page, server);
  const toggle = page.getByRole('checkbox', { name: 'Start Cowork Companion when you log in' });
  await expect(toggle).toBeDisabled();
  await expect(toggle).not.toBeChecked();
  await expect(toggle).toHaveAccessibleDescription('Set by Example Corp · policy key autostart');
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.getByTestId('start-at-login').screenshot({ path: join(SCREENSHOTS, 'settings-start-at-login-locked.png') });
});
