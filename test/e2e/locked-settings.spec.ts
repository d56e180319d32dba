// Settings IT's managed policy fixes, end to end: a real `serve` with --policy, and every place in the
// page that shows one says "Set by <organisation> · policy key <key>" (with the contact), its control
// disabled and described by that label; with `allowPersonalRules: false` the cards offer no rule (and
// say why) and the person's rules are shown turned off. Without an organisation name: "your organisation".
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, realpathSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callUi, readFixture, runHook, type HookResult, type RunningServer, startServer, stopTestServer } from './companion-processes.js';

let server: RunningServer | undefined;
let dir: string;
let project: string;
let policyFile: string;
let toolUse = 0;

test.beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'companion-e2e-locked-')));
  project = join(dir, 'payments-api');
  mkdirSync(project, { recursive: true });
  policyFile = join(dir, 'policy.json');
});

test.afterEach(async () => {
  await stopTestServer(server, dir);
  server = undefined;
});

const ACME = { name: 'Acme IT', contact: 'it@acme.example' };
const tab = (page: Page, name: RegExp) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name });
const label = (org: string, key: string, contact?: string) => `${org} · policy key ${key}${contact ? ` · contact ${contact}` : ''}`;

function policy(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    sharedFolders: [{ path: project, mode: 'read-write', label: 'Payments' }],
    approvals: { timeoutSeconds: 120, onTimeout: 'hold', holdHours: 8, sandboxedBash: 'ask' },
    rules: [{ toolName: 'WebFetch', match: { kind: 'domain', domain: 'docs.python.org' } }],
    telemetry: { endpoint: 'http://127.0.0.1:9/v1/logs', protocol: 'http/json' },
    forbiddenPaths: [join(dir, 'payroll')],
    watch: { enabled: false },
    ...extra,
  };
}

function writePolicy(content: Record<string, unknown>, mtime: number): void {
  writeFileSync(policyFile, JSON.stringify(content, null, 2));
  utimesSync(policyFile, mtime, mtime);
}

/** A Bash request from the agent; resolves when it is answered. */
function bash(command: string): Promise<HookResult> {
  const base = readFixture('pretooluse-bash.json', project);
  return runHook(server!.dataDir, { ...base, session_id: 'run-locked', tool_use_id: `toolu_locked_${++toolUse}`, tool_input: { ...(base['tool_input'] as object), command } });
}

type Pending = { pending: { id: string; contentHash: string }[] };
async function pendingItems(): Promise<Pending['pending']> {
  return ((await callUi(server!, 'getSnapshot', {})) as Pending).pending;
}

async function open(page: Page): Promise<void> {
  await page.goto(await server!.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
}

test('a policy with an organisation: every locked setting names it, the key and the contact; personal rules are off', async ({ page }) => {
  writePolicy(policy({ organization: ACME, allowedRoots: [dir] }), 1_000);
  server = await startServer({ policyFile });
  await open(page);

  // Made while IT allows rules made here.
  const first = bash('npm test');
  await expect.poll(async () => (await pendingItems()).length).toBe(1);
  const [made] = await pendingItems();
  await callUi(server, 'approve', { id: made!.id, contentHash: made!.contentHash, grant: 'always' });
  expect((await first).answer.hookSpecificOutput?.permissionDecision).toBe('allow');

  // IT turns them off while the companion runs.
  writePolicy(policy({ organization: ACME, allowedRoots: [dir], allowPersonalRules: false }), 2_000);
  // The core checks the file every 2 s; until then the rule would still answer.
  await expect
    .poll(async () => ((await callUi(server!, 'getSnapshot', {})) as { settings: { personalRules: boolean } }).settings.personalRules, { timeout: 10_000 })
    .toBe(false);
  const asked = bash('npm test');
  const card = page.getByRole('article').filter({ hasText: 'npm test' });
  await expect(card).toBeVisible({ timeout: 10_000 });
  await expect(card.getByRole('button', { name: 'Allow for this run' })).toHaveCount(0);
  await expect(card.getByRole('button', { name: 'Always allow…' })).toHaveCount(0);
  await expect(card.getByTestId('card-no-rule')).toContainText('No rule can be offered: your organisation has turned off rules made here.');
  await expect(card.getByTestId('card-no-rule')).toContainText(`Set by ${label('Acme IT', 'allowPersonalRules', ACME.contact)}`);
  await expect(card.getByRole('button', { name: 'Approve once' })).toBeVisible();
  await page.setViewportSize({ width: 400, height: 700 });
  await page.screenshot({ path: 'test-results/locked-card-tray-width.png' });
  await page.setViewportSize({ width: 900, height: 700 });

  await tab(page, /^Rules/).click();
  await expect(page.getByTestId('rules-personal-off')).toContainText('Your organisation has turned off rules made here');
  await expect(page.getByTestId('rules-personal-off')).toContainText(`Set by ${label('Acme IT', 'allowPersonalRules', ACME.contact)}`);
  const itRule = page.getByRole('listitem').filter({ hasText: 'docs.python.org' });
  await expect(itRule.getByTestId('locked-by')).toHaveText(`Set by ${label('Acme IT', 'rules', ACME.contact)}`);
  await expect(itRule.getByRole('button')).toHaveCount(0);
  const mine = page.getByRole('listitem').filter({ hasText: 'npm test' });
  await expect(mine.getByTestId('rule-off')).toContainText('Turned off by your organisation: kept, but it does not apply.');
  await expect(mine.getByTestId('locked-by')).toHaveText(`Set by ${label('Acme IT', 'allowPersonalRules', ACME.contact)}`);

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('timing-locked').getByTestId('locked-by')).toHaveText(
    ['approvals.timeoutSeconds', 'approvals.onTimeout', 'approvals.holdHours'].map((k) => `Set by ${label('Acme IT', k, ACME.contact)}`),
  );

  await tab(page, /^Shared folders/).click();
  const access = page.getByRole('combobox', { name: `Access to ${project}` });
  await expect(access).toBeDisabled();
  await expect(access).toHaveAccessibleDescription(`Set by ${label('Acme IT', 'sharedFolders', ACME.contact)}`);
  const allowBash = page.getByRole('checkbox', { name: 'Let Bash commands the sandbox confines run without asking' });
  await expect(allowBash).toBeDisabled();
  await expect(allowBash).toHaveAccessibleDescription(`Set by ${label('Acme IT', 'approvals.sandboxedBash', ACME.contact)}`);
  await page.locator('details.forbidden summary').click();
  await expect(page.locator('details.forbidden').getByTestId('locked-by')).toHaveText(`Set by ${label('Acme IT', 'forbiddenPaths', ACME.contact)}`);
  await page.screenshot({ path: 'test-results/locked-folders.png', fullPage: true });
  await expect(page.getByLabel('Folder', { exact: true })).toHaveAccessibleDescription(new RegExp(`Set by ${label('Acme IT', 'allowedRoots', ACME.contact).replaceAll('.', '\\.')}$`));

  await tab(page, /^Evidence/).click();
  await expect(page.getByRole('group', { name: 'Destination' }).getByTestId('locked-by')).toHaveText([
    `Set by ${label('Acme IT', 'telemetry.protocol', ACME.contact)}`,
    `Set by ${label('Acme IT', 'telemetry.endpoint', ACME.contact)}`,
  ]);

  await tab(page, /^Runs/).click();
  await expect(page.getByText('Your organisation has turned file watching off')).toContainText(`Set by ${label('Acme IT', 'watch.enabled', ACME.contact)}`);

  // The core refuses the grant the page no longer offers.
  const [item] = await pendingItems();
  await expect(callUi(server, 'approve', { id: item!.id, contentHash: item!.contentHash, grant: 'run' })).rejects.toThrow(/403.*personal_rules_off/);
  await callUi(server, 'deny', { id: item!.id, contentHash: item!.contentHash });
  expect((await asked).answer.hookSpecificOutput?.permissionDecision).toBe('deny');
});

test('a policy without an organisation name: "Set by your organisation", with the key', async ({ page }) => {
  writePolicy(policy({ allowUserFolders: false, allowPersonalRules: false }), 1_000);
  server = await startServer({ policyFile });
  await open(page);

  const asked = bash('npm test');
  const card = page.getByRole('article').filter({ hasText: 'npm test' });
  await expect(card).toBeVisible({ timeout: 10_000 });
  await expect(card.getByRole('button', { name: 'Allow for this run' })).toHaveCount(0);
  await expect(card.getByRole('button', { name: 'Always allow…' })).toHaveCount(0);
  await expect(card.getByTestId('locked-by')).toHaveText('Set by your organisation · policy key allowPersonalRules');

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('timing-locked').getByTestId('locked-by').first()).toHaveText('Set by your organisation · policy key approvals.timeoutSeconds');

  await tab(page, /^Shared folders/).click();
  await expect(page.getByText('Your organisation manages which folders are shared.')).toContainText('Set by your organisation · policy key allowUserFolders');
  await expect(page.getByLabel('Folder', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: `Access to ${project}` })).toHaveAccessibleDescription('Set by your organisation · policy key sharedFolders');

  await tab(page, /^Rules/).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'docs.python.org' }).getByTestId('locked-by')).toHaveText('Set by your organisation · policy key rules');

  const [item] = await pendingItems();
  await callUi(server, 'deny', { id: item!.id, contentHash: item!.contentHash });
  expect((await asked).answer.hookSpecificOutput?.permissionDecision).toBe('deny');
});
