// Signing in without a terminal, end to end in Chromium against a real `serve`: the person sets a
// passphrase in Settings from a signed-in window; a second browser with no address opens the serve
// root, is refused with a wrong passphrase (and made to wait), then signs in with the right one and
// sees the Inbox, live.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningServer, SCREENSHOTS, startServer } from './companion-processes.js';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer();
});

test.afterAll(async () => {
  const { code } = await server.stop();
  expect(code, server.stderr()).toBe(0);
});

const PASS = 'orange lighthouse under snow';

test('a passphrase set in Settings signs another browser in; a wrong one is refused and makes the next try wait', async ({ page, browser }) => {
  await page.goto(await server.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Settings' }).click();
  const form = page.getByTestId('settings-passphrase');
  await form.getByLabel('New passphrase').fill(PASS);
  await form.getByLabel('Repeat the passphrase').fill(`${PASS}!`);
  await form.getByRole('button', { name: 'Set passphrase' }).click();
  await expect(form.getByRole('alert')).toHaveText('The two passphrases differ.');
  await form.getByLabel('Repeat the passphrase').fill(PASS);
  await form.getByRole('button', { name: 'Set passphrase' }).click();
  await expect(form.getByRole('status')).toHaveText('Passphrase set. Every sign-in with it is recorded as evidence.');

  // Another browser: no address, only the serve root.
  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(new URL(server.info.agentApiUrl).origin + '/');
  const signIn = second.getByRole('form', { name: 'Sign in with your passphrase' });
  await signIn.getByLabel('Passphrase').fill('not it at all, sorry');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn.getByRole('alert')).toHaveText(/^Wrong passphrase\./);
  // At once again, even with the right one: refused unchecked.
  await signIn.getByLabel('Passphrase').fill(PASS);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn.getByRole('alert')).toHaveText('Too soon after a failed try: wait a little and try again.');
  mkdirSync(SCREENSHOTS, { recursive: true });
  await second.screenshot({ path: join(SCREENSHOTS, 'passphrase-sign-in-refused.png') });
  await second.waitForTimeout(1100);
  await signIn.getByLabel('Passphrase').fill(PASS);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(second.getByText('Connected', { exact: true })).toBeVisible();
  await expect(second.getByRole('navigation', { name: 'Views' })).toBeVisible();
  // The page keeps no credential anywhere a file could hold it.
  // (A string, since the test project's types have no DOM.)
  expect(await second.evaluate('localStorage.length + sessionStorage.length + document.cookie.length + location.hash.length')).toBe(0);
  expect(server.stderr()).toContain('a sign-in to the Inbox was refused (wrong)');
  await other.close();
});
