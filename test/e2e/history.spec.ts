// History after restart, end to end: a real `serve` process watching real temp folders, a run with a
// file change inside the scope and one outside it, an automatic deny, and a run still working when serve
// is killed; serve starts again on the same data folder, and Chromium shows the same Recent decisions, the ended run with its counts and
// the out-of-scope alert, and downloads the run's manifest.
import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '../../shared/ui-contract.js';
import { callUi, readFixture, runHook, startServer, type RunningServer } from './companion-processes.js';

let server: RunningServer | undefined;
let root: string;
const SESSION = '5b0e6f3c-9a41-4c7e-8d2f-1f6a3b9c7e21';

test.afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

test('history after restart: Recent decisions and the Runs view show what was there before', async ({ page }) => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'companion-e2e-history-')));
  const project = join(root, 'payments-api');
  const elsewhere = join(root, 'elsewhere');
  for (const d of [join(project, 'src'), elsewhere]) mkdirSync(d, { recursive: true });
  const policyFile = join(root, 'policy.json');
  writeFileSync(policyFile, JSON.stringify({ watch: { sentinelRoots: [elsewhere], idleTimeoutMinutes: 60 } }));
  const first = await startServer({ policyFile, watch: true });
  server = first;
  await callUi(first, 'addSharedFolder', { path: project, mode: 'read-write' });
  const snapshot = async () => (await callUi(first, 'getSnapshot', {})) as Snapshot;

  expect((await runHook(first.dataDir, { ...readFixture('sessionstart-startup.json', project), session_id: SESSION })).code).toBe(0);
  await expect.poll(async () => (await snapshot()).watch.state).toBe('watching');
  writeFileSync(join(project, 'src', 'refund.ts'), 'export const refund = 1;\n');
  await expect.poll(async () => (await snapshot()).runs[0]?.files.total).toBe(1);
  const write = readFixture('pretooluse-write.json', project);
  write['tool_input'] = { file_path: join(elsewhere, 'notes.txt'), content: 'x' };
  expect((await runHook(first.dataDir, write)).answer.hookSpecificOutput?.permissionDecision).toBe('deny');
  writeFileSync(join(elsewhere, 'notes.txt'), 'x');
  await expect.poll(async () => (await snapshot()).alerts.length).toBe(1);
  expect((await runHook(first.dataDir, { ...readFixture('sessionend.json', project), session_id: SESSION })).code).toBe(0);
  await expect.poll(async () => (await snapshot()).runs[0]?.status).toBe('ended');
  // Another run is working when the companion is killed: it never hears the end of it.
  expect((await runHook(first.dataDir, { ...readFixture('userpromptsubmit.json', project), session_id: 'killed-run' })).code).toBe(0);
  await expect.poll(async () => (await snapshot()).runs.find((r) => r.sessionId === 'killed-run')?.status).toBe('active');

  first.process.kill('SIGKILL');
  await first.stop(10_000, { keepData: true });
  server = await startServer({ policyFile, watch: true, dataDir: first.dataDir });

  await page.goto(await server.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  const recent = page.getByRole('region', { name: 'Recent decisions' }).getByRole('listitem');
  await expect(recent).toHaveCount(1);
  await expect(recent.first()).toContainText('Denied');
  await expect(recent.first()).toContainText('Write');
  await expect(recent.first()).toContainText(join(elsewhere, 'notes.txt'));

  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Runs' }).click();
  const run = page.locator(`[data-session-id="${SESSION}"]`);
  await expect(run).toContainText('Run 5b0e6f3c · Ended: Claude Code closed it');
  await expect(run.getByTestId('run-files')).toHaveText('1 (1 created, 0 modified, 0 deleted)');
  await expect(run.getByTestId('run-out-of-scope')).toHaveText('1');
  await expect(page.locator('.alert').first()).toContainText(join(elsewhere, 'notes.txt'));
  // Shown ended at an unknown time, never as live.
  await expect(page.locator('[data-session-id="killed-run"]')).toContainText('Ended: time unknown (the companion stopped while it ran)');

  const download = page.waitForEvent('download');
  await run.getByRole('button', { name: 'Export the file manifest of run 5b0e6f3c as JSON' }).click();
  const manifest = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { sessionId: string; totals: { files: number }; outOfScope: { path: string }[]; note: string };
  expect(manifest).toMatchObject({ sessionId: SESSION, totals: { files: 1 }, outOfScope: [{ path: join(elsewhere, 'notes.txt') }] });
  expect(manifest.note).toMatch(/Rebuilt from the evidence journal/);
});
