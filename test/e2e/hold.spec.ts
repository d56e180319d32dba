// Hold means "not now, a person will look later", and every text says so: a real `serve`, real
// hook-client processes and the built UI in Chromium. The agent hears it is on hold within seconds of
// the click (not when its budget ends), the card says until when and what the agent was told, the
// shortcuts panel and Settings say the same, and after a restart the card still says what the agent
// was actually told (the hold message, or the shutdown deny).
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOTS, readFixture, runHook, shareProject, startServer, stopAndClean, type HookResult, type RunningServer } from './companion-processes.js';

const decisionOf = (r: HookResult) => r.answer.hookSpecificOutput?.permissionDecision;
const reasonOf = (r: HookResult) => r.answer.hookSpecificOutput?.permissionDecisionReason ?? '';

async function openInbox(page: Page, server: RunningServer): Promise<void> {
  await page.goto(await server.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
}

test('hold answers the agent within seconds with how to retry; card, shortcuts and Settings say the same; approving lets one retry through', async ({ page }) => {
  // A budget of two minutes: an answer within seconds can only come from the hold itself.
  const server = await startServer({ budgetMs: 120_000 });
  const project = await shareProject(server, 'read');
  try {
    await openInbox(page, server);
    const payload = { ...readFixture('pretooluse-write.json', project), tool_use_id: 'toolu_e2e_hold_1' };
    const hook = runHook(server.dataDir, payload);
    const card = page.getByRole('article', { name: 'Write' });
    await expect(card.getByRole('button', { name: 'Hold' })).toBeEnabled();
    const clicked = Date.now();
    await card.getByRole('button', { name: 'Hold' }).click();
    const held = await hook;
    expect(Date.now() - clicked).toBeLessThan(2000);
    expect(decisionOf(held)).toBe('deny');
    expect(reasonOf(held)).toMatch(/on hold in Cowork Companion: a person will review it later \(held until .+\)\. Do not retry it now\. Retry exactly the same action after the user approves it/);

    // The card: held, until when, and the agent's own message.
    await expect(card.getByText('Held', { exact: true })).toBeVisible();
    // 24 h (the default hold) from now: tomorrow's date and a time.
    const tomorrow = new Date(clicked + 24 * 3_600_000).getDate();
    await expect(card.getByText(/^Held until /)).toHaveText(new RegExp(`^Held until \\D*\\b${tomorrow}\\b.*\\d\\d:\\d\\d`));
    await expect(card).toContainText('On hold: the agent was told to retry the same action after you approve it. Approving lets exactly that retry through once; denying ends it.');
    await expect(card.getByTestId('card-told')).toContainText(`What the agent was told`);
    await expect(card.getByTestId('card-told')).toContainText(reasonOf(held));
    await expect(card.getByRole('button', { name: 'Hold' })).toHaveCount(0);

    // The keyboard hint and the shortcuts panel.
    await expect(page.getByText('Esc hold (not now)')).toBeVisible();
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await expect(page.getByRole('region', { name: 'Keyboard shortcuts' })).toContainText('Hold (not now): the agent is told at once that it is on hold; approve later to let its retry through once');

    // Settings: how long a hold lasts (the default, 24 h).
    const nav = page.getByRole('navigation', { name: 'Views' });
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByTestId('hold-timing')).toHaveText('Hold (not now) tells the agent at once that the action is on hold; approving it later lets the agent’s retry through once. A held request leaves the Inbox after 1 d without a decision.');
    await nav.getByRole('button', { name: /^Inbox/ }).click();

    // Approving later lets exactly one identical retry through, at once; the next one asks again.
    await card.getByRole('button', { name: 'Approve once' }).click();
    await expect(card).toHaveCount(0);
    expect(decisionOf(await runHook(server.dataDir, { ...payload, tool_use_id: 'toolu_e2e_hold_2' }))).toBe('allow');
    const again = runHook(server.dataDir, { ...payload, tool_use_id: 'toolu_e2e_hold_3' });
    await expect(card).toBeVisible();
    await card.getByRole('button', { name: 'Deny…' }).click();
    await card.getByRole('button', { name: 'Deny', exact: true }).click();
    expect(decisionOf(await again)).toBe('deny');
  } finally {
    await stopAndClean(server, project);
  }
});

test('after a restart the card says what the agent was told: the hold message, or the shutdown deny', async ({ page }) => {
  const first = await startServer({ budgetMs: 120_000 });
  const project = await shareProject(first, 'read');
  let second: RunningServer | undefined;
  try {
    await openInbox(page, first);
    const write = runHook(first.dataDir, { ...readFixture('pretooluse-write.json', project), tool_use_id: 'toolu_e2e_restart_write' });
    const writeCard = page.getByRole('article', { name: 'Write' });
    await writeCard.getByRole('button', { name: 'Hold' }).click();
    const heldMessage = reasonOf(await write);
    const heldUntil = await writeCard.getByText(/^Held until /).textContent();

    const bash = runHook(first.dataDir, { ...readFixture('pretooluse-bash.json', project), tool_use_id: 'toolu_e2e_restart_bash' });
    await expect(page.getByRole('article', { name: 'Bash' })).toBeVisible();
    const { code } = await first.stop(10_000, { keepData: true });
    expect(code, first.stderr()).toBe(0);
    const shutdownMessage = reasonOf(await bash);
    expect(shutdownMessage).toMatch(/shutting down/);

    second = await startServer({ budgetMs: 120_000, dataDir: first.dataDir });
    await openInbox(page, second);
    const restoredWrite = page.getByRole('article', { name: 'Write' });
    await expect(restoredWrite.getByText('Held', { exact: true })).toBeVisible();
    await expect(restoredWrite.getByText(/^Held until /)).toHaveText(heldUntil!);
    await expect(restoredWrite.getByTestId('card-told')).toContainText(heldMessage);
    const restoredBash = page.getByRole('article', { name: 'Bash' });
    await expect(restoredBash).toContainText('The agent is no longer waiting.');
    await expect(restoredBash.getByTestId('card-told')).toContainText(shutdownMessage);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'inbox-after-restart.png'), fullPage: true });
  } finally {
    // The second server runs on the first one's data folder: stopping it removes that folder.
    await stopAndClean(second ?? first, project);
  }
});
