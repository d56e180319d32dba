// Approvals people can live with, end to end: a real `serve` process (with a managed policy: a locked
// rule, a storm limit, out-of-scope reads ask), real hook-client processes fed Claude Code fixtures,
// and the built web UI in Chromium. Every answer given in the page must reach the agent.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCREENSHOTS, callUi, readFixture, runHook, startServer, type HookResult, type RunningServer } from './companion-processes.js';

let server: RunningServer;
let root: string;
/** Shared read-only: writes and commands ask, reads pass by themselves. */
let project: string;
/** Not shared: with this policy (outOfScope: ask) reads here ask, and are "reads" for bulk answers. */
let outside: string;

/** One session id per test, so runs, rules and the storm limit never mix between tests. */
const RUN = {
  once: '0a11ce01-5b1e-4c8e-9d2f-000000000001',
  run: '7c1e9a20-4f3b-4d61-8a5e-000000000002',
  runOther: '3e5d7f90-1a2b-4c3d-9e4f-000000000003',
  always: 'b2c4d6e8-0a1b-4c2d-8e3f-000000000004',
  alwaysNext: 'c0ffee42-9a8b-4c7d-8e6f-000000000005',
  deny: 'd3n1ed00-1111-4222-8333-000000000006',
  keys: 'f00dcafe-2222-4333-8444-000000000007',
  groupA: '5b0e6f3c-9a41-4c7e-8d2f-1f6a3b9c7e21',
  groupB: 'a7d2c91e-6b3f-4e08-9c1d-000000000009',
  storm: '57a4b5e0-3333-4444-8555-000000000010',
  notify: '9e7f1c2a-4444-4555-8666-000000000011',
  lang: 'e1a9b8c7-5555-4666-8777-000000000012',
};

let nextToolUse = 0;
/** A fixture as run `sessionId` would send it, with a fresh tool_use_id and optional input changes. */
function request(name: string, sessionId: string, input: Record<string, unknown> = {}, dir = project): Record<string, unknown> {
  const base = readFixture(name, dir);
  return {
    ...base,
    session_id: sessionId,
    tool_use_id: `toolu_e2e_ux_${++nextToolUse}`,
    tool_input: { ...(base['tool_input'] as Record<string, unknown>), ...input },
  };
}

const decisionOf = (r: HookResult) => r.answer.hookSpecificOutput?.permissionDecision;
const reasonOf = (r: HookResult) => r.answer.hookSpecificOutput?.permissionDecisionReason ?? '';

test.beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'companion-e2e-ux-')));
  project = join(root, 'payments-api');
  outside = join(root, 'vendor-sdk');
  mkdirSync(join(project, 'src/refunds'), { recursive: true });
  mkdirSync(join(outside, 'src/refunds'), { recursive: true });
  for (let i = 0; i < 8; i++) writeFileSync(join(outside, `src/refunds/part${i}.ts`), `export const part${i} = ${i};\n`);
  const policyFile = join(root, 'policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      organization: { name: 'Example Payments', contact: 'it-help@example.com' },
      outOfScope: 'ask',
      stormPerMinute: 5,
      rules: [{ toolName: 'WebFetch', match: { kind: 'domain', domain: 'docs.python.org' } }],
    }),
  );
  server = await startServer({ policyFile });
  await callUi(server, 'addSharedFolder', { path: project, mode: 'read' });
});

test.afterAll(async () => {
  const { code } = await server.stop();
  expect(code, server.stderr()).toBe(0);
  rmSync(root, { recursive: true, force: true });
});

async function openInbox(page: Page, on: RunningServer = server): Promise<void> {
  await page.goto(await on.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
}

const views = (page: Page) => page.getByRole('navigation', { name: 'Views' });

type Scope = Pick<Page, 'getByRole'>;

async function denyCard(card: ReturnType<Page['getByRole']>, labels = { open: 'Deny…', confirm: 'Deny' }): Promise<void> {
  await card.getByRole('button', { name: labels.open }).click();
  await card.getByRole('button', { name: labels.confirm, exact: true }).click();
  await expect(card).toHaveCount(0);
}

/** Deny every card in `scope`, one after the other (each next card gets its own grace period). */
async function denyAll(scope: Scope, labels = { open: 'Deny…', confirm: 'Deny' }): Promise<void> {
  const cards = scope.getByRole('article');
  for (let n = await cards.count(); n > 0; n--) {
    const card = cards.first();
    await card.getByRole('button', { name: labels.open }).click();
    await card.getByRole('button', { name: labels.confirm, exact: true }).click();
    await expect(cards).toHaveCount(n - 1);
  }
}

test('approve once lets this request through; the same request later asks again', async ({ page }) => {
  await openInbox(page);
  const payload = request('pretooluse-write.json', RUN.once);
  const hook = runHook(server.dataDir, payload);
  const card = page.getByRole('article', { name: 'Write' });
  await expect(card).toContainText('Allows the agent to write this file, this once.');
  const run = page.getByRole('group', { name: 'Run 0a11ce01' });
  await expect(run).toContainText(project);
  await expect(run).toContainText('1 request');
  await card.getByRole('button', { name: 'Approve once' }).click();
  expect(decisionOf(await hook)).toBe('allow');
  await expect(card).toHaveCount(0);

  // Once means once: no rule was made, so the same request asks again.
  const again = runHook(server.dataDir, payload);
  await expect(card).toBeVisible();
  await denyCard(card);
  expect(decisionOf(await again)).toBe('deny');
});

test('allow for this run: the next request of the same kind in this run passes without a card', async ({ page }) => {
  await openInbox(page);
  const first = runHook(server.dataDir, request('pretooluse-bash.json', RUN.run));
  const card = page.getByRole('article', { name: 'Bash' });
  // The card says in one sentence what the run grant grants.
  await expect(card).toContainText(
    `Allow for this run: Allows the agent to run shell commands starting with “npm run” while working in ${project} until this run ends.`,
  );
  await card.getByRole('button', { name: 'Allow for this run' }).click();
  expect(decisionOf(await first)).toBe('allow');
  await expect(card).toHaveCount(0);

  // Same run, another "npm run …": nobody clicks, the run rule answers.
  const second = await runHook(server.dataDir, request('pretooluse-bash.json', RUN.run, { command: 'npm run lint' }));
  expect(decisionOf(second), reasonOf(second)).toBe('allow');
  await expect(page.getByRole('region', { name: 'Recent decisions' }).getByRole('listitem').first()).toContainText('by a rule');
  await views(page).getByRole('button', { name: 'Rules' }).click();
  const runRule = page.getByRole('region', { name: 'Rules' }).getByRole('listitem').filter({ hasText: '“npm run”' });
  await expect(runRule).toContainText('This run (7c1e9a20)');
  await expect(runRule).toContainText('1 time');
  await views(page).getByRole('button', { name: /^Inbox/ }).click();

  // Another run is not covered: it asks.
  const other = runHook(server.dataDir, request('pretooluse-bash.json', RUN.runOther, { command: 'npm run lint' }));
  const otherCard = page.getByRole('article', { name: 'Bash' });
  await expect(otherCard).toContainText('npm run lint');
  await denyCard(otherCard);
  expect(decisionOf(await other)).toBe('deny');
});

test('always allow: the edited rule is listed, applies to the next request, and revoking it makes the agent ask again', async ({ page }) => {
  await openInbox(page);
  const hook = runHook(server.dataDir, request('pretooluse-webfetch.json', RUN.always));
  const card = page.getByRole('article', { name: 'WebFetch' });
  await card.getByRole('button', { name: 'Always allow…' }).click();
  const editor = card.getByRole('form', { name: 'Always allow' });
  const domain = editor.getByLabel('Domain');
  await expect(domain).toHaveValue('docs.stripe.com');
  await expect(domain).toBeFocused();
  await expect(editor).toContainText(
    `Allows the agent to fetch pages from docs.stripe.com and its subdomains while working in ${project} until you revoke it.`,
  );
  // Widen it to the whole site; the sentence follows the edit.
  await domain.fill('stripe.com');
  await expect(editor).toContainText('Allows the agent to fetch pages from stripe.com and its subdomains');
  await domain.fill('');
  await expect(editor.getByRole('button', { name: 'Save rule and approve' })).toBeDisabled();
  await expect(editor).toContainText('Fill in “Domain” to save this rule.');
  await domain.fill('stripe.com');
  await editor.getByRole('button', { name: 'Save rule and approve' }).click();
  expect(decisionOf(await hook)).toBe('allow');

  await views(page).getByRole('button', { name: 'Rules' }).click();
  const rules = page.getByRole('region', { name: 'Rules' });
  const mine = rules.getByRole('listitem').filter({ hasText: 'stripe.com and its subdomains' });
  await expect(mine).toContainText('Always (until revoked)');
  await expect(mine).toContainText('You');
  await expect(mine).toContainText('0 times');
  await expect(mine).toContainText('Never');
  // IT's rule is listed, locked, and cannot be revoked here.
  const locked = rules.getByRole('listitem').filter({ hasText: 'docs.python.org' });
  await expect(locked).toContainText('Your organisation (Example Payments)');
  await expect(locked.getByTestId('locked-by')).toHaveText('Set by Example Payments · policy key rules · contact it-help@example.com');
  await expect(locked.getByRole('button')).toHaveCount(0);

  // The rule answers the next matching request, from any run.
  const next = await runHook(server.dataDir, request('pretooluse-webfetch.json', RUN.alwaysNext, { url: 'https://api.stripe.com/v1/charges' }));
  expect(decisionOf(next), reasonOf(next)).toBe('allow');
  await expect(mine).toContainText('1 time');
  await expect(mine).not.toContainText('Never');

  await rules.getByRole('searchbox', { name: 'Search rules' }).fill('python');
  await expect(rules.getByRole('listitem')).toHaveCount(1);
  await rules.getByRole('searchbox', { name: 'Search rules' }).fill('');
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'rules.png'), fullPage: true });

  // One click and an inline confirmation (no modal dialog).
  await mine.getByRole('button', { name: /^Revoke rule: Allows the agent to fetch pages from stripe\.com/ }).click();
  await expect(mine.getByRole('button', { name: 'Keep' })).toBeFocused();
  await mine.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(mine).toHaveCount(0);

  const asked = runHook(server.dataDir, request('pretooluse-webfetch.json', RUN.alwaysNext, { url: 'https://api.stripe.com/v1/payouts' }));
  await views(page).getByRole('button', { name: /^Inbox/ }).click();
  const askedCard = page.getByRole('article', { name: 'WebFetch' });
  await expect(askedCard).toContainText('api.stripe.com/v1/payouts');
  await denyCard(askedCard);
  expect(decisionOf(await asked)).toBe('deny');
});

test('deny with a reason: the agent reads the reason; a long command is shown whole on demand', async ({ page }) => {
  await openInbox(page);
  const lines = ['npm run migrate -- --env=production', ...Array.from({ length: 11 }, (_, i) => `  --step=${i + 1} \\`), '  --yes'];
  const hook = runHook(server.dataDir, request('pretooluse-bash.json', RUN.deny, { command: lines.join('\n') }));
  const card = page.getByRole('article', { name: 'Bash' });
  // Never cut silently: the first lines, how many more there are, and a way to see them all.
  await expect(card.locator('pre')).toContainText('--step=7');
  await expect(card.locator('pre')).not.toContainText('--yes');
  await expect(card).toContainText('… 5 more lines not shown');
  await card.getByRole('button', { name: 'Show all 13 lines' }).click();
  await expect(card.locator('pre')).toHaveText(lines.join('\n'));
  await expect(card.getByRole('button', { name: 'Show fewer lines' })).toHaveAttribute('aria-expanded', 'true');
  await card.getByRole('button', { name: 'Deny…' }).click();
  await card.getByLabel('Reason').fill('Never migrate production from an agent; open a change request.');
  await card.getByRole('button', { name: 'Deny', exact: true }).click();
  const result = await hook;
  expect(decisionOf(result)).toBe('deny');
  expect(reasonOf(result)).toContain('Never migrate production from an agent; open a change request.');
});

test('keyboard only: move between cards, details, shortcuts panel, Alt+A approves, Alt+D denies with a reason', async ({ page }) => {
  await openInbox(page);
  const build = runHook(server.dataDir, request('pretooluse-bash.json', RUN.keys, { command: 'npm run build' }));
  const a = page.getByRole('article', { name: 'Bash' }).filter({ hasText: 'npm run build' });
  await expect(a).toBeVisible();
  const typecheck = runHook(server.dataDir, request('pretooluse-bash.json', RUN.keys, { command: 'npm run typecheck' }));
  const b = page.getByRole('article', { name: 'Bash' }).filter({ hasText: 'npm run typecheck' });
  await expect(b).toBeVisible();
  await expect(page.getByText(/J \/ K next or previous · Alt\+A approve once/)).toBeVisible();

  await page.keyboard.press('j');
  await expect(a).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(b).toBeFocused();
  await page.keyboard.press('k');
  await expect(a).toBeFocused();

  // Enter on a card opens its details; it answers nothing.
  await page.keyboard.press('Enter');
  await expect(a.getByRole('button', { name: 'Details' })).toHaveAttribute('aria-expanded', 'true');
  await expect(a).toContainText('Content hash');
  await page.keyboard.press('Enter');
  await expect(a).not.toContainText('Content hash');

  await page.keyboard.press('?');
  const panel = page.getByRole('region', { name: 'Keyboard shortcuts' });
  await expect(panel).toContainText('Hold (not now): the agent is told at once that it is on hold');
  await expect(a).toBeFocused(); // the panel does not take focus
  await page.keyboard.press('?');
  await expect(panel).toHaveCount(0);

  await expect(a.getByRole('button', { name: 'Approve once' })).toBeEnabled(); // after the grace period
  await page.keyboard.press('Alt+a');
  expect(decisionOf(await build)).toBe('allow');
  await expect(a).toHaveCount(0);
  // Focus goes to the card that took its place, never to a button.
  await expect(b).toBeFocused();

  await expect(b.getByRole('button', { name: 'Deny…' })).toBeEnabled(); // it moved: a new grace period
  await page.keyboard.press('Alt+d');
  await expect(b.getByLabel('Reason')).toBeFocused();
  await page.keyboard.type('Type-check in CI, not here.');
  await page.keyboard.press('Control+Enter');
  const denied = await typecheck;
  expect(decisionOf(denied)).toBe('deny');
  expect(reasonOf(denied)).toContain('Type-check in CI, not here.');
});

test('grouped by run, with bulk answers for reads; tab title counts what waits (screenshot)', async ({ page }) => {
  await openInbox(page);
  const hooks: Promise<HookResult>[] = [];
  hooks.push(runHook(server.dataDir, request('pretooluse-bash.json', RUN.groupA)));
  await expect(page.getByRole('article')).toHaveCount(1);
  hooks.push(runHook(server.dataDir, request('pretooluse-write.json', RUN.groupA)));
  await expect(page.getByRole('article')).toHaveCount(2);
  const reads = [0, 1].map((i) =>
    runHook(server.dataDir, request('pretooluse-read.json', RUN.groupB, { file_path: join(outside, `src/refunds/part${i}.ts`) }, outside)),
  );
  await expect(page.getByRole('article')).toHaveCount(4);
  await expect(page).toHaveTitle('(4) Cowork Companion');

  const runA = page.getByRole('group', { name: 'Run 5b0e6f3c' });
  const runB = page.getByRole('group', { name: 'Run a7d2c91e' });
  await expect(runA.getByRole('article')).toHaveCount(2);
  await expect(runA).toContainText('2 requests');
  await expect(runB.getByRole('article')).toHaveCount(2);
  // The run that arrived later is below; its requests never interleave with the first run's.
  expect(await page.getByRole('article').locator('h4').allTextContents()).toEqual(['Bash', 'Write', 'Read', 'Read']);
  const approveReads = runB.getByRole('button', { name: 'Approve all reads (2)' });
  await expect(approveReads).toBeEnabled();
  await expect(runA.getByRole('button', { name: /all reads/ })).toHaveCount(0);
  await expect(runB.getByRole('article').first()).toContainText('Read-only');

  for (const card of [runA, runB]) await expect(card.getByRole('article').last().getByRole('button', { name: 'Approve once' })).toBeEnabled();
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate('window.scrollTo(0, 0)');
  const inbox = (await page.getByRole('region', { name: 'Pending approvals' }).boundingBox())!;
  await page.screenshot({ path: join(SCREENSHOTS, 'inbox-grouped.png'), fullPage: true, clip: { x: 0, y: 0, width: 900, height: inbox.y + inbox.height + 16 } });

  // A new request of the first run goes to the end of that run, not to the top of the list.
  hooks.push(runHook(server.dataDir, request('pretooluse-edit.json', RUN.groupA)));
  await expect(runA.getByRole('article')).toHaveCount(3);
  await expect(runA.getByRole('article').last()).toHaveAccessibleName('Edit');
  expect(await page.getByRole('article').locator('h4').allTextContents()).toEqual(['Bash', 'Write', 'Edit', 'Read', 'Read']);
  await expect(page).toHaveTitle('(5) Cowork Companion');

  // The bulk answer names the cards on screen (id + content hash), so a read that arrives meanwhile is not decided.
  const sent = page.waitForRequest((r) => r.url().endsWith('/ui/api/decideRunReads'));
  await approveReads.click();
  const body = (await sent).postDataJSON() as { sessionId: string; verdict: string; items: { id: string; contentHash: string }[] };
  expect(body.verdict).toBe('allow');
  expect(new Set(body.items.map((i) => i.id)).size).toBe(2);
  for (const item of body.items) expect(item).toEqual({ id: expect.any(String), contentHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
  for (const r of await Promise.all(reads)) expect(decisionOf(r)).toBe('allow');
  await expect(runB).toHaveCount(0);
  await expect(page).toHaveTitle('(3) Cowork Companion');
  await denyAll(runA);
  for (const r of await Promise.all(hooks)) expect(decisionOf(r)).toBe('deny');
  await expect(page).toHaveTitle('Cowork Companion');
});

test('a request storm pauses the run: the banner says why, and the person resumes it', async ({ page }) => {
  await openInbox(page);
  const read = (i: number) =>
    runHook(server.dataDir, request('pretooluse-read.json', RUN.storm, { file_path: join(outside, `src/refunds/part${i}.ts`) }, outside));
  const waiting: Promise<HookResult>[] = [];
  for (let i = 0; i < 5; i++) {
    waiting.push(read(i));
    await expect(page.getByRole('article')).toHaveCount(i + 1);
  }
  // The sixth request within a minute: the run is paused and the agent told so.
  const sixth = await read(5);
  expect(decisionOf(sixth)).toBe('deny');
  expect(reasonOf(sixth)).toContain('paused this run');
  const run = page.getByRole('group', { name: 'Run 57a4b5e0' });
  await expect(run).toContainText('This run is paused');
  await expect(run).toContainText('more than 5 requests in a minute');

  await run.getByRole('button', { name: 'Deny all reads (5)' }).click();
  for (const r of await Promise.all(waiting)) expect(decisionOf(r)).toBe('deny');
  await expect(run.getByRole('article')).toHaveCount(0);
  await expect(run).toContainText('This run is paused'); // still there: only the person resumes it
  await run.getByRole('button', { name: 'Resume run 57a4b5e0' }).click();
  await expect(run).toHaveCount(0);
});

test('headless: "Notify me" asks for permission on click, then notifies while the tab is hidden', async ({ page }) => {
  // A stand-in for the browser's Notification API and tab visibility, recording what the page does.
  await page.addInitScript(`
    window.__notes = [];
    window.__asked = 0;
    let permission = 'default';
    window.Notification = class {
      static get permission() { return permission; }
      static async requestPermission() { window.__asked++; permission = 'granted'; return permission; }
      constructor(title, options) { window.__notes.push({ title, body: options && options.body }); }
      close() {}
    };
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (window.__hidden ? 'hidden' : 'visible') });
  `);
  await openInbox(page);
  const toggle = page.getByRole('button', { name: 'Notify me' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect(await page.evaluate('window.__asked')).toBe(0); // nothing asked before the person chose to
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await page.evaluate('window.__asked')).toBe(1);

  const visible = runHook(server.dataDir, request('pretooluse-bash.json', RUN.notify, { command: 'npm run seed' }));
  await expect(page.getByRole('article')).toHaveCount(1);
  expect(await page.evaluate('window.__notes.length')).toBe(0); // the person is looking: no notification

  await page.evaluate('window.__hidden = true');
  const hidden = runHook(server.dataDir, request('pretooluse-bash.json', RUN.notify, { command: 'npm run seed:demo' }));
  await expect(page.getByRole('article')).toHaveCount(2);
  await expect.poll(() => page.evaluate('window.__notes')).toEqual([{ title: 'Cowork Companion: a request is waiting', body: 'Bash, npm run seed:demo' }]);
  await page.evaluate('window.__hidden = false');
  await denyAll(page);
  for (const r of await Promise.all([visible, hidden])) expect(decisionOf(r)).toBe('deny');
});

test('language: Japanese and Indonesian change the labels, numbers and times (screenshot)', async ({ page }) => {
  await openInbox(page);
  const hooks = [runHook(server.dataDir, request('pretooluse-bash.json', RUN.lang, { command: 'npm run test -- src/refunds' }))];
  await expect(page.getByRole('article')).toHaveCount(1);
  hooks.push(runHook(server.dataDir, request('pretooluse-write.json', RUN.lang)));
  await expect(page.getByRole('article')).toHaveCount(2);
  try {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('ja');
    const nav = page.getByRole('navigation', { name: '表示' });
    await expect(nav.getByRole('button', { name: /^受信トレイ/ })).toBeVisible();
    await expect(page.getByRole('heading', { name: '設定' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await nav.getByRole('button', { name: /^受信トレイ/ }).click();
    await expect(page.getByRole('heading', { name: '承認待ち' })).toBeVisible();
    const bash = page.getByRole('article', { name: 'Bash' });
    await expect(bash.getByRole('button', { name: '今回のみ承認' })).toBeVisible();
    await expect(bash.getByRole('button', { name: 'このセッション中は許可' })).toBeVisible();
    await expect(bash).toContainText('エージェントにこのコマンドの実行を今回のみ許可します。');
    await expect(bash).toContainText(/残り \d+ 秒/);
    await expect(page.getByRole('group', { name: 'セッション e1a9b8c7' })).toContainText('2 件のリクエスト');
    await expect(page.getByText('接続済み', { exact: true })).toBeVisible();
    for (const card of await page.getByRole('article').all()) await expect(card.getByRole('button', { name: '今回のみ承認' })).toBeEnabled();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'inbox-ja.png') });

    await page.getByRole('button', { name: '設定' }).click();
    await page.getByLabel('言語').selectOption('id');
    const navId = page.getByRole('navigation', { name: 'Tampilan' });
    await expect(navId.getByRole('button', { name: /^Kotak masuk/ })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'id');
    await navId.getByRole('button', { name: /^Kotak masuk/ }).click();
    const write = page.getByRole('article', { name: 'Write' });
    await expect(write.getByRole('button', { name: 'Setujui sekali' })).toBeVisible();
    await expect(write).toContainText('Mengizinkan agen menulis berkas ini, kali ini saja.');
    await expect(write).toContainText(/sisa \d+ dtk/);
    await denyAll(page, { open: 'Tolak…', confirm: 'Tolak' });
    for (const r of await Promise.all(hooks)) expect(decisionOf(r)).toBe('deny');
    await expect(page.getByRole('region', { name: 'Keputusan terbaru' })).toContainText('Ditolak');
  } finally {
    await callUi(server, 'setLanguage', { language: 'en' });
  }
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
});
