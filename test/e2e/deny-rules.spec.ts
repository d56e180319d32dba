// Deny rules end to end: a real `serve` with IT's policy `{ "rules": [{ "toolName": "mcp__github__*",
// "effect": "deny" }] }` denies an MCP call made through the real hook process (the reason names the
// rule) and the Rules view shows the rule locked as Deny; a person's "Always deny…" from a card saves
// a deny rule that answers the next identical call without a card.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callUi, readFixture, runHook, type RunningServer, startServer, stopTestServer } from './companion-processes.js';

let server: RunningServer | undefined;
let dir: string;
let project: string;
let toolUse = 0;

test.beforeEach(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'companion-e2e-deny-')));
  project = join(dir, 'payments-api');
  mkdirSync(project, { recursive: true });
  const policyFile = join(dir, 'policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify({ organization: { name: 'Acme IT' }, sharedFolders: [{ path: project, mode: 'read-write' }], rules: [{ toolName: 'mcp__github__*', effect: 'deny' }] }),
  );
  server = await startServer({ policyFile });
});

test.afterEach(async () => {
  await stopTestServer(server, dir);
  server = undefined;
});

const tab = (page: Page, name: RegExp) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name });
const call = (name: string, tool_name: string, tool_input: Record<string, unknown>) =>
  runHook(server!.dataDir, { ...readFixture(name, project), session_id: 'run-deny', tool_use_id: `toolu_deny_${++toolUse}`, tool_name, tool_input });

async function open(page: Page): Promise<void> {
  await page.goto(await server!.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
}

test("IT's deny rule for mcp__github__* denies an MCP call and shows locked as Deny", async ({ page }) => {
  const result = await call('pretooluse-mcp.json', 'mcp__github__create_pull_request', { owner: 'acme', repo: 'payments-api', title: 'x' });
  expect(result.code).toBe(0);
  expect(result.answer.hookSpecificOutput?.permissionDecision).toBe('deny');
  expect(result.answer.hookSpecificOutput?.permissionDecisionReason).toBe(
    'Blocked by Cowork Companion: a rule denies this: Never lets the agent call any tool of the github MCP server until you revoke it.',
  );

  await open(page);
  await tab(page, /^Rules/).click();
  const row = page.getByRole('listitem').filter({ hasText: 'mcp__github__*' });
  await expect(row.getByTestId('rule-effect')).toHaveText('Deny');
  await expect(row).toContainText('Never lets the agent call any tool of the github MCP server');
  await expect(row.getByTestId('locked-by')).toContainText('Acme IT · policy key rules');
  await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
  await expect(row).toContainText('1 time');
});

test('a person\'s "Always deny…" from a card saves a deny rule that answers the next call', async ({ page }) => {
  await open(page);
  const bash = () => call('pretooluse-bash.json', 'Bash', { command: 'npm publish --tag next', description: 'Publish' });
  const first = bash();
  const card = page.getByRole('article').filter({ hasText: 'npm publish' });
  await expect(card).toBeVisible({ timeout: 10_000 });
  await card.getByRole('button', { name: 'Deny…' }).click();
  await card.getByRole('button', { name: 'Always deny…' }).click();
  await expect(card.getByRole('heading', { name: 'Always deny' })).toBeVisible();
  await expect(card.getByLabel('Does')).toHaveValue('deny');
  await expect(card.locator('.grant-sentence')).toContainText('Never lets the agent run shell commands starting with “npm publish”');
  await card.getByRole('button', { name: 'Save rule and deny' }).click();
  expect((await first).answer.hookSpecificOutput?.permissionDecision).toBe('deny');

  // The next identical call is denied by the rule, without a card.
  const second = await bash();
  expect(second.answer.hookSpecificOutput?.permissionDecision).toBe('deny');
  expect(second.answer.hookSpecificOutput?.permissionDecisionReason).toMatch(/a rule denies this: Never lets the agent run shell commands starting with “npm publish”/);
  expect(((await callUi(server!, 'getSnapshot', {})) as { pending: unknown[] }).pending).toEqual([]);

  await tab(page, /^Rules/).click();
  const mine = page.getByRole('listitem').filter({ hasText: 'npm publish' });
  await expect(mine.getByTestId('rule-effect')).toHaveText('Deny');
  await expect(mine.getByRole('button', { name: /Revoke/ })).toBeVisible();
});
