// A broken IT policy file, end to end: a real `serve` with --policy, the file broken while it runs
// (as MDM or a hand edit would), and what the page says — above every view and in Settings — must be
// what the core does: the last valid policy kept (from when), or nothing allowed automatically.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callUi, type RunningServer, SCREENSHOTS, startServer, stopTestServer } from './companion-processes.js';

let server: RunningServer | undefined;
let dir: string;
let file: string;

test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'companion-e2e-policy-'));
  file = join(dir, 'policy.json');
});

test.afterEach(async () => {
  await stopTestServer(server, dir);
  server = undefined;
});

const banner = (page: Page) => page.getByRole('alert', { name: 'The IT policy file is invalid' });
const settings = (page: Page) => page.getByTestId('settings-policy');
const tab = (page: Page, name: RegExp) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name });

async function open(page: Page, s: RunningServer) {
  await page.goto(await s.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
}

/** An en-GB/en-US medium date and time, as the page formats the policy's time. */
const MEDIUM_TIME = /[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2}(?:\s?[AP]M)?/;

test('broken while running: the last valid policy stays, said with its time and the line of the problem, above every view and in Settings', async ({ page }) => {
  writeFileSync(file, JSON.stringify({ stormPerMinute: 100, organization: { name: 'Example Corp' } }, null, 2));
  server = await startServer({ policyFile: file });
  await open(page, server);
  await expect(banner(page)).toHaveCount(0);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(settings(page)).toContainText('The IT policy is in force.');
  await expect(settings(page)).toContainText(new RegExp(`Its settings are in force \\(read ${MEDIUM_TIME.source}\\)\\.`));

  writeFileSync(file, '{\n  "stormPerMinute": "lots",\n  "organization": { "name": "Example Corp" }\n}\n');
  utimesSync(file, 1_000, 1_000);
  await expect(banner(page)).toBeVisible({ timeout: 8000 });
  const lastValid = new RegExp(`IT's last valid policy \\(from ${MEDIUM_TIME.source}\\) stays in force\\.`);
  await expect(banner(page)).toContainText(lastValid);
  await expect(banner(page)).toContainText(`File: ${file}`);
  await expect(banner(page).getByRole('listitem')).toHaveText([/^line 2, column 21: stormPerMinute: .*expected number/]);
  await expect(banner(page)).not.toContainText('nothing is allowed automatically');
  // What the page says is what the core does: the last valid policy's storm limit is still in force.
  const snap = (await callUi(server, 'getSnapshot', {})) as { policy: { behaviour: string; since: string } };
  expect(snap.policy.behaviour).toBe('last-valid');
  await expect(settings(page)).toContainText('The IT policy file is invalid');
  await expect(settings(page)).toContainText(lastValid);
  await expect(settings(page).getByRole('listitem')).toHaveText([/^line 2, column 21: stormPerMinute: /]);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'policy-invalid-last-valid.png') });

  // Above every view.
  await tab(page, /^Inbox/).click();
  await expect(banner(page)).toBeVisible();

  // Fixed: the banner goes by itself.
  writeFileSync(file, JSON.stringify({ stormPerMinute: 120 }));
  utimesSync(file, 2_000, 2_000);
  await expect(banner(page)).toHaveCount(0, { timeout: 8000 });
});

test('broken from the start: nothing is allowed automatically, and the page says so in the banner, in Settings and beside the shared folders', async ({ page }) => {
  writeFileSync(file, '{\n  "forbiddenPaths": ["/srv/secret"]\n  "outOfScope": "ask"\n}\n');
  server = await startServer({ policyFile: file });
  await open(page, server);
  const nothing = 'No valid policy: nothing is allowed automatically, every request asks a person.';
  await expect(banner(page)).toContainText(nothing);
  await expect(banner(page).getByRole('listitem')).toHaveText(['line 3, column 3: forbiddenPaths: comma expected']);
  await expect(banner(page)).not.toContainText('last valid policy');
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.setViewportSize({ width: 420, height: 700 });
  await page.screenshot({ path: join(SCREENSHOTS, 'policy-invalid-nothing-automatic-tray-width.png') });
  await page.setViewportSize({ width: 900, height: 700 });

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(settings(page)).toContainText(nothing);
  await expect(settings(page)).toContainText(`File: ${file}`);

  await tab(page, /^Shared folders|^Folders/).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The managed policy could not be read.' })).toContainText(nothing);

  // The serve's stderr said it once, with file and line.
  expect(server.stderr()).toContain(`${file}:3:3: forbiddenPaths: comma expected`);
});

test('unknown keys: the rest is in force, and each key is shown with its line and the key probably meant', async ({ page }) => {
  writeFileSync(file, '{\n  "stormPerMinute": 100,\n  "forbidenPaths": ["/srv/secret"]\n}\n');
  server = await startServer({ policyFile: file });
  await open(page, server);
  const warning = page.getByTestId('policy-banner');
  await expect(warning).toContainText('The IT policy is in force, with warnings');
  await expect(warning).toContainText(/Its settings are in force/);
  await expect(warning.getByRole('listitem')).toHaveText(['line 3, column 3: forbidenPaths: unknown key "forbidenPaths"; did you mean "forbiddenPaths"?']);
  await expect(banner(page)).toHaveCount(0);
});
