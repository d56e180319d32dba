// Shared folders end to end: the scope is edited in the page and the real core applies it.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFixture, runHook, type RunningServer, SCREENSHOTS, shareProject, startServer, stopAndClean } from './companion-processes.js';

let server: RunningServer;
let project: string;

test.beforeAll(async () => {
  server = await startServer();
  project = await shareProject(server);
});

test.afterAll(() => stopAndClean(server, project));

test('shared folders: share, change access, stop sharing; protected places are refused', async ({ page }) => {
  await page.goto(await server.newUiUrl());
  await page.getByRole('button', { name: 'Shared folders' }).click();
  const list = page.getByRole('list').filter({ has: page.getByRole('combobox') });
  await expect(list.getByRole('listitem').filter({ hasText: project })).toContainText('Until removed');
  await expect(page.getByRole('combobox', { name: `Access to ${project}` })).toHaveValue('read');
  // Claude Code is not connected here: the page says the OS does not enforce the scope for Bash, and how to fix that.
  await expect(page.getByTestId('sandbox-status')).toHaveText(/Enforced by the operating system for Bash: not set up — .*Fix: run "cowork-companion connect claude-code"/);
  // The person's choice for sandboxed Bash is kept by the core (it takes effect once the OS enforces the folders).
  const allowBash = page.getByRole('checkbox', { name: 'Let Bash commands the sandbox confines run without asking' });
  await expect(allowBash).not.toBeChecked();
  await expect(page.getByText(/Takes effect while the operating system enforces the shared folders for Bash/)).toBeVisible();
  await allowBash.check();
  await expect(allowBash).toBeChecked();
  await page.goto(await server.newUiUrl()); // a new window: the choice came from the core
  await page.getByRole('button', { name: 'Shared folders' }).click();
  await expect(allowBash).toBeChecked();
  await allowBash.uncheck();
  await expect(allowBash).not.toBeChecked();

  const docs = join(project, '..', 'design-docs');
  mkdirSync(docs, { recursive: true });
  await page.getByLabel('Folder', { exact: true }).fill(docs);
  await page.getByRole('radio', { name: 'Read & write' }).check();
  await page.getByLabel('Label').fill('Design docs');
  await expect(page.getByText('Agents will be able to read and change files in this folder until you remove it.')).toBeVisible();
  await page.getByRole('button', { name: 'Share folder' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Shared' })).toContainText(docs);
  const access = page.getByRole('combobox', { name: `Access to ${docs}` });
  await expect(access).toHaveValue('read-write');

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'shared-folders.png') });

  // What the page shared is what the core enforces: a read there passes without asking…
  const read = () => runHook(server.dataDir, readFixture('pretooluse-read.json', docs));
  expect((await read()).answer.hookSpecificOutput?.permissionDecision).toBe('allow');

  await access.selectOption('read');
  await expect(access).toHaveValue('read');
  await page.getByRole('button', { name: `Stop sharing ${docs}` }).click();
  await expect(access).toHaveCount(0);
  // …and once it is no longer shared, the same read is refused, naming the folder to share.
  const refused = (await read()).answer.hookSpecificOutput;
  expect(refused?.permissionDecision).toBe('deny');
  expect(refused?.permissionDecisionReason).toContain('outside the folders shared');

  // The companion's own data folder is protected: the core refuses, the page says why.
  await page.getByLabel('Folder', { exact: true }).fill(server.dataDir);
  await page.getByRole('button', { name: 'Share folder' }).click();
  await expect(page.getByRole('alert')).toContainText(/protect|forbidden|companion/i);
  await expect(page.getByRole('combobox', { name: `Access to ${server.dataDir}` })).toHaveCount(0);
});
