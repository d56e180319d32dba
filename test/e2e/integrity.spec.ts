// The companion's own files changed behind its back, end to end: the test edits the settings.json of
// the real `serve` process while it runs (as any program with the person's rights could, an agent
// included). The core puts its last version back and reports it; the page must say so above every
// view until the person acknowledges it, and again for a change it has not shown yet. The Evidence
// view says whether the journal checked out at start and where the integrity key is kept.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callUi, type RunningServer, SCREENSHOTS, startServer } from './companion-processes.js';

let server: RunningServer;
let outside: string;

interface SnapshotView {
  version: number;
  scope: { folders: { path: string }[] };
  integrity: { alerts: { file: string; reason: string; at: string }[] };
}
const snapshot = async (): Promise<SnapshotView> => (await callUi(server, 'getSnapshot', {})) as SnapshotView;

test.beforeAll(async () => {
  server = await startServer();
  outside = mkdtempSync(join(tmpdir(), 'companion-e2e-outside-'));
});

test.afterAll(async () => {
  const { code, signal } = await server.stop();
  expect(signal, `serve should exit by itself on SIGTERM; stderr:\n${server.stderr()}`).toBeNull();
  expect(code).toBe(0);
  rmSync(outside, { recursive: true, force: true });
});

/** What an agent could do with the person's rights: share a folder by editing the settings file. */
function shareBehindItsBack(folder: string): void {
  const file = join(server.dataDir, 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as { sharedFolders: unknown[] };
  settings.sharedFolders.push({ path: folder, mode: 'read-write', addedAt: new Date().toISOString() });
  writeFileSync(file, JSON.stringify(settings, null, '\t'));
}

const banner = (page: Page) => page.getByRole('alert', { name: "Cowork Companion's own files were changed by another program" });
const marker = (page: Page) => page.getByText(/^⚠ Changes to the companion's own files by another program: \d+/);
const tab = (page: Page, name: RegExp) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name });

async function open(page: Page) {
  await page.goto(await server.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
}

test('a change to settings.json by another program is undone and shown above every view until acknowledged; a new one opens it again', async ({ page }) => {
  await open(page);
  await expect(banner(page)).toHaveCount(0);
  await expect(marker(page)).toHaveCount(0);

  const first = join(outside, 'first');
  shareBehindItsBack(first);
  await expect(banner(page)).toBeVisible();
  await expect(banner(page)).toContainText("settings.json: its content differs from what the companion last wrote; the companion's last version was put back.");
  await expect(banner(page)).toContainText('check which agent runs were active');
  await expect(banner(page)).toContainText('recorded it as evidence (state.tampered)');
  await expect(banner(page).locator('time')).toContainText(/\((\d+ seconds?|just now)/);
  // The core put its own version back: the folder is not shared, on disk or in the scope.
  expect(readFileSync(join(server.dataDir, 'settings.json'), 'utf8')).not.toContain(first);
  expect((await snapshot()).scope.folders.map((f) => f.path)).not.toContain(first);
  expect((await snapshot()).integrity.alerts).toHaveLength(1);
  // One change: no list of all of them.
  await expect(banner(page).getByText(/^All \d+ changes$/)).toHaveCount(0);

  // Above every view, not only the Inbox.
  await tab(page, /^Rules/).click();
  await expect(page.getByRole('region', { name: 'Rules' })).toBeVisible();
  await expect(banner(page)).toBeVisible();
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'integrity-banner.png') });

  // Acknowledged: folded to a marker that stays, on every view, for the session.
  await banner(page).getByRole('button', { name: 'Got it' }).click();
  await expect(banner(page)).toHaveCount(0);
  await expect(marker(page)).toHaveText(/: 1 Show details$/);
  await expect(page.getByRole('button', { name: 'Show details' })).toBeFocused();
  await tab(page, /^Inbox/).click();
  await expect(marker(page)).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'integrity-marker.png') });

  // The marker unfolds the same banner (nothing new, so it folds again when asked).
  await page.getByRole('button', { name: 'Show details' }).click();
  await expect(banner(page)).toBeVisible();
  await expect(banner(page).getByRole('button', { name: 'Got it' })).toBeFocused();
  await banner(page).getByRole('button', { name: 'Got it' }).click();
  await expect(banner(page)).toHaveCount(0);

  // A second change, not seen before: the banner opens again by itself, newest first, all listed.
  const second = join(outside, 'second');
  shareBehindItsBack(second);
  await expect(banner(page)).toBeVisible();
  await expect(marker(page)).toHaveCount(0);
  await expect(banner(page).getByRole('button', { name: 'Got it' })).not.toBeFocused();
  const all = banner(page).getByText('All 2 changes');
  await all.click();
  const listed = banner(page).getByRole('listitem');
  await expect(listed).toHaveCount(2);
  await expect(listed.nth(0)).toContainText('settings.json: its content differs');
  await expect(listed.nth(1)).toContainText('settings.json: its content differs');
  expect((await snapshot()).scope.folders.map((f) => f.path)).not.toContain(second);
  await page.setViewportSize({ width: 420, height: 700 });
  await page.screenshot({ path: join(SCREENSHOTS, 'integrity-banner-tray-width.png') });
  await banner(page).getByRole('button', { name: 'Got it' }).click();
  await expect(marker(page)).toHaveText(/: 2 Show details$/);
});

test('the Evidence view says the journal checked out at start and where the integrity key is kept', async ({ page }) => {
  await open(page);
  await tab(page, /^Evidence/).click();
  const group = page.getByRole('region', { name: 'Evidence' }).getByRole('group', { name: "Protection of the companion's own files" });
  await expect(group).toContainText(/Journal check at start\s*✓\s*Journal verified: \d+ lines? checked, nothing missing or altered/);
  // Headless: no OS keystore.
  await expect(group).toContainText("Kept in a user-only file (headless mode): a program that reads it could forge the companion's state. See docs/security.md.");
  mkdirSync(SCREENSHOTS, { recursive: true });
  await group.screenshot({ path: join(SCREENSHOTS, 'evidence-integrity-verified.png') });
});

test('a journal found changed at start lists each problem and says the loss was reported; file text stays text', async ({ page }) => {
  // The page as it shows a journal changed while the companion was stopped (the core's answer is replaced).
  const real = await snapshot();
  const now = Date.now();
  const hostile = 'journal/<img src=x onerror="document.title=`pwned`">.jsonl';
  const changed = {
    ...real,
    version: real.version + 1_000_000,
    serverTime: new Date(now).toISOString(),
    integrity: {
      keyProtection: 'os-keystore',
      alerts: [{ id: 'evidence-1', file: hostile, reason: 'the newest 2 event(s) were cut from the journal', at: new Date(now - 120_000).toISOString() }],
      journal: {
        checked: 40,
        missing: 2,
        forged: 1,
        problems: ['1 journal line(s) were edited or added by another process; they are not trusted or delivered', 'the newest 2 event(s) were cut from the journal'],
      },
    },
  };
  await page.route('**/ui/api/getSnapshot', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(changed) }));
  await open(page);

  await expect(banner(page)).toContainText(`${hostile}: the newest 2 event(s) were cut from the journal. (2 minutes ago)`);
  await expect(page.locator('img')).toHaveCount(0);
  expect(await page.title()).not.toBe('pwned');

  await tab(page, /^Evidence/).click();
  const view = page.getByRole('region', { name: 'Evidence' });
  const group = view.getByRole('group', { name: "Protection of the companion's own files" });
  const problems = group.getByRole('alert');
  await expect(problems).toContainText('Journal changed by another program: 2 missing, 1 forged');
  await expect(problems.getByRole('listitem')).toHaveText(changed.integrity.journal.problems);
  await expect(problems).toContainText('The loss was reported as evidence (telemetry.loss)');
  await expect(group).toContainText('Protected by the OS keystore');
  // A changed journal comes first in the view, before delivery.
  const groups = view.getByRole('group');
  await expect(groups.first()).toHaveAccessibleName("Protection of the companion's own files");

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'evidence-integrity.png'), fullPage: true });
});
