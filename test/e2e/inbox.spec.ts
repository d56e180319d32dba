// The Inbox end to end: a real `serve` process, real hook-client processes fed Claude Code
// fixtures, and the built web UI in Chromium. A decision made in the page must reach the agent.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFixture, runHook, type RunningServer, SCREENSHOTS, shareProject, startServer, stopAndClean } from './companion-processes.js';

let server: RunningServer;
/** Stands in for the fixtures' project folder; shared read-only, so writes ask and reads pass. */
let project: string;
const fixture = (name: string) => readFixture(name, project);

test.beforeAll(async () => {
  server = await startServer();
  project = await shareProject(server, 'read', ['src/refunds']);
});

test.afterAll(() => stopAndClean(server, project));

async function openInbox(page: Page): Promise<void> {
  await page.goto(await server.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
}

test('approving a Write in the Inbox lets the agent proceed', async ({ page }) => {
  await openInbox(page);
  // The credential leaves the address bar and is stored nowhere a tool could read it.
  expect(page.url()).not.toContain('token');
  // (A string, since the test project's types have no DOM.)
  expect(await page.evaluate('localStorage.length + sessionStorage.length + document.cookie.length')).toBe(0);

  const hook = runHook(server.dataDir, fixture('pretooluse-write.json'));
  const card = page.getByRole('article', { name: 'Write' });
  await expect(card).toBeVisible();
  await expect(card).toContainText(join(project, 'src/refunds/retryPolicy.ts'));
  await expect(card).toContainText('shared read-only'); // the policy's note: why a person is asked
  await expect(card).toContainText('5b0e6f3c');
  await expect(card).toContainText(/\d+ s left, then denied/);

  const approve = card.getByRole('button', { name: 'Approve' });
  await expect(approve).toBeDisabled(); // grace period right after the card appears
  await approve.click(); // waits until it is enabled

  const result = await hook;
  expect(result.code, result.stderr).toBe(0);
  expect(result.answer.hookSpecificOutput?.permissionDecision).toBe('allow');
  await expect(card).toHaveCount(0);
  await expect(page.getByText('No pending approvals')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Recent decisions' })).toContainText('Allowed');
});

test('denying with a reason tells the agent why', async ({ page }) => {
  await openInbox(page);
  const reason = 'Please do not change retry.ts; ask me first.';
  const hook = runHook(server.dataDir, fixture('pretooluse-edit.json'));
  const card = page.getByRole('article', { name: 'Edit' });
  await card.getByRole('button', { name: 'Deny…' }).click();
  await card.getByLabel('Reason').fill(reason);
  await card.getByRole('button', { name: 'Deny', exact: true }).click();

  const result = await hook;
  expect(result.code, result.stderr).toBe(0);
  expect(result.answer.hookSpecificOutput?.permissionDecision).toBe('deny');
  expect(result.answer.hookSpecificOutput?.permissionDecisionReason).toContain(reason);
  await expect(card).toHaveCount(0);
});

test('a bidi override in a command is shown as a visible marker', async ({ page }) => {
  await openInbox(page);
  const bash = fixture('pretooluse-bash.json');
  const command = 'cat notes\u202Etxt.sh && echo done';
  const hook = runHook(server.dataDir, {
    ...bash,
    tool_use_id: 'toolu_e2e_bidi',
    tool_input: { ...(bash.tool_input as object), command },
  });
  const card = page.getByRole('article', { name: 'Bash' });
  await expect(card.locator('pre')).toHaveText('cat notes⟨U+202E⟩txt.sh && echo done');
  await expect(card).toContainText('hidden or direction-changing characters');
  // Claude Code is not connected with its sandbox here: the card says nothing but the answer limits it.
  await expect(card.getByTestId('card-sandbox')).toHaveText(/^Not sandboxed: nothing but your answer limits what it changes\. Why: Claude Code is not connected with its sandbox\.$/);
  // The raw override character must not reach the page as text.
  expect(await card.locator('pre').evaluate((el) => el.textContent?.includes('\u202E'))).toBe(false);

  await card.getByRole('button', { name: 'Deny…' }).click();
  await card.getByRole('button', { name: 'Deny', exact: true }).click();
  const result = await hook;
  expect(result.answer.hookSpecificOutput?.permissionDecision).toBe('deny');
});

test('keyboard: Esc holds the focused request, a stray Enter answers nothing', async ({ page }) => {
  await openInbox(page);
  const hook = runHook(server.dataDir, fixture('pretooluse-webfetch.json'));
  const card = page.getByRole('article', { name: 'WebFetch' });
  await expect(card.getByRole('button', { name: 'Approve' })).toBeEnabled();
  await card.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await expect(card.getByText('Held', { exact: true })).toBeVisible();
  await expect(card.getByRole('button', { name: 'Hold' })).toHaveCount(0);
  // Hold answers the agent at once: on hold (a deny for this call); the card stays until denied here.
  expect((await hook).answer.hookSpecificOutput?.permissionDecisionReason).toMatch(/on hold/);
  await card.getByRole('button', { name: 'Deny…' }).click();
  await card.getByRole('button', { name: 'Deny', exact: true }).click();
  await expect(card).toHaveCount(0);
});

test('a failed call shows the core\'s message on the card', async ({ page }) => {
  await openInbox(page);
  // Force the answer a race would give (someone else decided first), to check how it is shown.
  await page.route('**/ui/api/approve', (route) =>
    route.fulfill({
      status: 409,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'not_pending', message: 'This request is no longer pending.' } }),
    }),
  );
  const hook = runHook(server.dataDir, { ...fixture('pretooluse-write.json'), tool_use_id: 'toolu_e2e_failed_call' });
  const card = page.getByRole('article', { name: 'Write' });
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(card.getByRole('alert')).toHaveText('This request is no longer pending.');
  await page.unroute('**/ui/api/approve');

  await card.getByRole('button', { name: 'Approve' }).click();
  expect((await hook).answer.hookSpecificOutput?.permissionDecision).toBe('allow');
});

test('screenshot: the Inbox with several pending requests', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 700 });
  await openInbox(page);
  const requests = [
    ['pretooluse-bash.json', 'Bash'],
    ['pretooluse-webfetch.json', 'WebFetch'],
    ['pretooluse-mcp.json', 'mcp__jira__create_issue'],
  ] as const;
  const hooks = [];
  // One at a time, so the order on screen is a known order of arrival.
  for (const [file, name] of requests) {
    hooks.push(runHook(server.dataDir, fixture(file)));
    await expect(page.getByRole('article', { name })).toBeVisible();
  }
  const names = requests.map(([, name]) => name);
  await page.getByRole('article', { name: 'mcp__jira__create_issue' }).getByRole('button', { name: 'Hold' }).click();
  await expect(page.getByRole('article', { name: 'mcp__jira__create_issue' })).toContainText('Held');
  for (const name of names) await expect(page.getByRole('article', { name }).getByRole('button', { name: 'Approve' })).toBeEnabled();

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate('window.scrollTo(0, 0)'); // clicking Hold scrolled the last card into view
  await page.screenshot({ path: join(SCREENSHOTS, 'inbox.png') });
  await page.setViewportSize({ width: 420, height: 700 });
  await page.screenshot({ path: join(SCREENSHOTS, 'inbox-tray-width.png') });

  for (const name of names) {
    const card = page.getByRole('article', { name });
    await card.getByRole('button', { name: 'Deny…' }).click();
    await card.getByRole('button', { name: 'Deny', exact: true }).click();
    await expect(card).toHaveCount(0);
  }
  for (const result of await Promise.all(hooks)) {
    expect(result.answer.hookSpecificOutput?.permissionDecision).toBe('deny');
  }
});

test('losing the companion shows a visible reconnecting state', async ({ page }) => {
  const second = await startServer();
  try {
    await page.goto(await second.newUiUrl());
    await expect(page.getByText('Connected', { exact: true })).toBeVisible();
    expect((await second.stop()).code).toBe(0);
    await expect(page.getByText('Disconnected — reconnecting…')).toBeVisible();
    await expect(page.getByRole('article')).toHaveCount(0);
  } finally {
    await second.stop();
  }
});

test('without a credential the page says where to get one', async ({ page }) => {
  await page.goto(server.info.agentApiUrl);
  await expect(page.getByRole('alert')).toContainText('Open the address printed by cowork-companion serve');
});

test('an address works once: a used link left in browser history cannot open the Inbox', async ({ page, context }) => {
  const url = await server.newUiUrl();
  await page.goto(url);
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  const replay = await context.newPage();
  await replay.goto(url);
  await expect(replay.getByRole('alert')).toContainText('already used');
  await expect(replay.getByRole('article')).toHaveCount(0);
  await replay.close();
});
