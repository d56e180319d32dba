// Escalation banner end to end: a real `serve` with the example policy (as written, plus the
// shared folder), three failed tool calls through the real hook process (PostToolUseFailure) hold the
// run; the Inbox shows the rule, why (the count), the contact with a mailto link, and the held call's
// card; one click on Resume lets the waiting call through and the banner goes. A notice (another rule)
// blocks nothing and is dismissed.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFixture, runHook, SCREENSHOTS, type RunningServer, startServer, stopTestServer } from './companion-processes.js';

let server: RunningServer | undefined;
let dir: string;
let project: string;
let toolUse = 0;

test.beforeEach(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'companion-e2e-escalation-')));
  project = join(dir, 'payments-api');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'README.md'), '# payments\n');
  const policyFile = join(dir, 'policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      sharedFolders: [{ path: project, mode: 'read' }],
      escalation: {
        contact: { name: 'Security desk', email: 'secdesk@example.com' },
        rules: [
          { id: 'tool-errors', when: { toolErrors: { atLeast: 3, withinMinutes: 5 } }, action: 'hold' },
          { id: 'denied-twice', when: { denials: { atLeast: 2, withinMinutes: 5 } }, action: 'notify' },
        ],
      },
      rules: [{ toolName: 'mcp__github__*', effect: 'deny' }],
    }),
  );
  server = await startServer({ policyFile });
});

test.afterEach(async () => {
  await stopTestServer(server, dir);
  server = undefined;
});

const hook = (name: string, session: string, extra: Record<string, unknown>) => runHook(server!.dataDir, { ...readFixture(name, project), session_id: session, tool_use_id: `toolu_esc_${++toolUse}`, ...extra });
const failed = (session: string) => hook('posttoolusefailure-bash.json', session, {});
const read = (session: string) => hook('pretooluse-read.json', session, { tool_input: { file_path: join(project, 'README.md') } });

async function open(page: Page): Promise<void> {
  await page.goto(await server!.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
}

test('a held run: the banner says which rule, why and whom to contact; Resume lets the waiting call through', async ({ page }) => {
  await open(page);
  for (let i = 0; i < 3; i++) expect((await failed('run-held-0001')).code).toBe(0);
  const banner = page.getByTestId('escalation-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('This run is held by escalation rule tool-errors');
  await expect(banner).toContainText('Tool errors: 3 within 5 min (the rule fires at 3).');
  await expect(banner).toContainText('Every further request of this run waits for you');
  await expect(banner).toContainText('Security desk');
  await expect(banner.getByRole('link', { name: 'secdesk@example.com' })).toHaveAttribute('href', 'mailto:secdesk@example.com');

  // The read the shared folder allows waits for a person, its card saying why.
  const waiting = read('run-held-0001');
  const card = page.getByRole('article').filter({ hasText: 'README.md' });
  await expect(card).toBeVisible({ timeout: 10_000 });
  await expect(card).toContainText('The escalation rule tool-errors fired');
  mkdirSync(SCREENSHOTS, { recursive: true });
  await expect(card.getByRole('button', { name: 'Approve once' })).toBeEnabled();
  await page.screenshot({ path: join(SCREENSHOTS, 'escalation-held.png'), fullPage: true, animations: 'disabled' });

  await banner.getByRole('button', { name: 'Resume run run-held' }).click();
  await expect(banner).toHaveCount(0);
  const answered = await waiting;
  expect(answered.answer.hookSpecificOutput?.permissionDecision).toBe('allow');
  await expect(card).toHaveCount(0);
  expect((await read('run-held-0001')).answer.hookSpecificOutput?.permissionDecision).toBe('allow');
});

test('a notice blocks nothing and is dismissed; a held run can be stopped instead', async ({ page }) => {
  await open(page);
  for (let i = 0; i < 2; i++) {
    const gh = await hook('pretooluse-mcp.json', 'run-note-0002', { tool_name: 'mcp__github__create_issue', tool_input: { title: 'x' } });
    expect(gh.answer.hookSpecificOutput?.permissionDecision).toBe('deny');
  }
  const notice = page.getByTestId('escalation-banner');
  await expect(notice).toContainText('Escalation rule denied-twice fired for this run');
  await expect(notice).toContainText('Nothing is blocked');
  expect((await read('run-note-0002')).answer.hookSpecificOutput?.permissionDecision).toBe('allow');
  await notice.getByRole('button', { name: 'Dismiss the notice for run run-note' }).click();
  await expect(notice).toHaveCount(0);

  for (let i = 0; i < 3; i++) await failed('run-stop-0003');
  const held = page.getByTestId('escalation-banner');
  await held.getByRole('button', { name: 'Stop run run-stop' }).click();
  await expect(held).toContainText('This run is stopped by escalation rule tool-errors');
  await expect(held).toContainText('You kept this run stopped');
  const denied = await read('run-stop-0003');
  expect(denied.answer.hookSpecificOutput?.permissionDecision).toBe('deny');
  expect(denied.answer.hookSpecificOutput?.permissionDecisionReason).toContain('contact: Security desk <secdesk@example.com>');
});

test("Settings: IT's rules locked, a person's own rule added and applied, then removed", async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const section = page.getByTestId('settings-escalation');
  await expect(section.getByTestId('escalation-policy-rules')).toContainText('tool-errors — Hold the run: 3 or more tool errors within 5 min');
  await expect(section.getByTestId('locked-by').first()).toContainText('escalation.rules');
  await section.getByLabel('When').selectOption({ label: 'Denied requests' });
  await section.getByLabel('At least').fill('1');
  await section.getByLabel('Then').selectOption({ label: 'Stop the run' });
  await section.getByRole('button', { name: 'Add rule' }).click();
  await expect(section.getByTestId('escalation-personal-rules')).toContainText('mine-1 — Stop the run: 1 or more denied requests within 5 min');

  const gh = await hook('pretooluse-mcp.json', 'run-mine-0004', { tool_name: 'mcp__github__create_issue', tool_input: { title: 'x' } });
  expect(gh.answer.hookSpecificOutput?.permissionDecision).toBe('deny');
  const stopped = await read('run-mine-0004');
  expect(stopped.answer.hookSpecificOutput?.permissionDecisionReason).toMatch(/escalation rule mine-1 fired \(1 denied request within 5 minutes\)/);

  await section.getByRole('button', { name: 'Remove escalation rule mine-1' }).click();
  await expect(section.getByTestId('escalation-personal-rules')).toHaveCount(0);
});
