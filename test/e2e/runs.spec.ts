// Runs and file changes, end to end: a real `serve` process watching real temp folders (chokidar),
// real hook-client processes starting and ending a run, and the Runs view in Chromium — manifest
// counts, a high-severity change in a protected folder, and the manifest downloaded as JSON.
import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCREENSHOTS, callUi, readFixture, runHook, startServer, type RunningServer } from './companion-processes.js';

let server: RunningServer;
let root: string;
let project: string;
let elsewhere: string;
let secrets: string;
const SESSION = '5b0e6f3c-9a41-4c7e-8d2f-1f6a3b9c7e21';

test.beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'companion-e2e-runs-')));
  project = join(root, 'payments-api');
  elsewhere = join(root, 'elsewhere');
  secrets = join(root, 'finance-secrets');
  for (const d of [join(project, 'src'), elsewhere, secrets]) mkdirSync(d, { recursive: true });
  const policyFile = join(root, 'policy.json');
  writeFileSync(policyFile, JSON.stringify({ forbiddenPaths: [secrets], watch: { sentinelRoots: [elsewhere], idleTimeoutMinutes: 60 } }));
  server = await startServer({ policyFile, watch: true });
  await callUi(server, 'addSharedFolder', { path: project, mode: 'read-write' });
});

test.afterAll(async () => {
  const { code } = await server.stop();
  expect(code, server.stderr()).toBe(0);
  rmSync(root, { recursive: true, force: true });
});

test('a run: watched while active, manifest counts, a protected-folder change, JSON export, then idle', async ({ page }) => {
  await page.goto(await server.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs' }).click();
  await expect(page.getByText('Not watching: no agent run is active.')).toBeVisible();
  await expect(page.getByText(/No agent run yet/)).toBeVisible();

  expect((await runHook(server.dataDir, { ...readFixture('sessionstart-startup.json', project), session_id: SESSION })).code).toBe(0);
  const run = page.locator(`[data-session-id="${SESSION}"]`);
  await expect(run).toContainText('Run 5b0e6f3c · Active');
  await expect(page.getByText(/Watching \d+ locations while runs are active\./)).toBeVisible();

  writeFileSync(join(project, 'src', 'refund.ts'), 'export const refund = 1;\n');
  writeFileSync(join(project, 'README.md'), '# payments\n');
  await expect(run.getByTestId('run-files')).toHaveText('2 (2 created, 0 modified, 0 deleted)');

  writeFileSync(join(secrets, 'salaries.csv'), 'name,amount\n');
  const alert = page.locator('.alert').first();
  await expect(alert).toContainText('High severity');
  await expect(alert).toContainText(join(secrets, 'salaries.csv'));
  await expect(alert).toContainText('In a protected location');
  await expect(alert).toContainText('Unexplained: no tool call of the run named this path');
  await expect(run.getByTestId('run-out-of-scope')).toHaveText('1');
  await page.setViewportSize({ width: 900, height: 900 });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'runs.png'), fullPage: true });

  const download = page.waitForEvent('download');
  await run.getByRole('button', { name: 'Export the file manifest of run 5b0e6f3c as JSON' }).click();
  const file = await (await download).path();
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { sessionId: string; files: { path: string; status: string }[]; outOfScope: { path: string; violation: string }[]; note: string };
  expect((await download).suggestedFilename()).toBe('run-5b0e6f3c-manifest.json');
  expect(manifest.sessionId).toBe(SESSION);
  expect(manifest.files.map((f) => [f.path, f.status])).toEqual([
    [join(project, 'README.md'), 'created'],
    [join(project, 'src', 'refund.ts'), 'created'],
  ]);
  expect(manifest.outOfScope).toMatchObject([{ path: join(secrets, 'salaries.csv'), violation: 'forbidden' }]);
  expect(manifest.note).toMatch(/Reads are not seen/);

  expect((await runHook(server.dataDir, { ...readFixture('sessionend.json', project), session_id: SESSION })).code).toBe(0);
  await expect(run).toContainText('Ended: Claude Code closed it');
  await expect(page.getByText('Not watching: no agent run is active.')).toBeVisible();
});
