// A long Inbox end to end (a real `serve` and the built web UI in Chromium): with more requests than
// it draws at once, every request still has its place, the keyboard reaches cards that are not
// drawn yet, and approving one moves focus to the card that takes its place.
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callUi, startServer, type RunningServer } from './companion-processes.js';

const PER_RUN = 40;
const RUNS = ['1a2b3c4d-0000-4000-8000-00000000000a', '5e6f7a8b-0000-4000-8000-00000000000b'];

let server: RunningServer;
let project: string;

test.beforeAll(async () => {
  server = await startServer({ budgetMs: 120_000 });
  project = realpathSync(mkdtempSync(join(tmpdir(), 'companion-e2e-long-')));
});

test.afterAll(async () => {
  expect((await server.stop()).code).toBe(0);
  rmSync(project, { recursive: true, force: true });
});

/** A Bash request as Claude Code's hook sends it (over HTTP: eighty hook processes would be slow);
 *  resolves with the decision the agent gets ('lost' if the server went away first). */
async function ask(sessionId: string, n: number): Promise<string | undefined> {
  const token = readFileSync(server.info.tokenFile, 'utf8').trim();
  try {
    const res = await fetch(`${server.info.agentApiUrl}/hooks/claude-code`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ session_id: sessionId, cwd: project, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: `npm run task-${n}` }, tool_use_id: `toolu_e2e_long_${n}` }),
    });
    const answer = (await res.json()) as { hookSpecificOutput?: { permissionDecision?: string } };
    return answer.hookSpecificOutput?.permissionDecision;
  } catch {
    return 'lost';
  }
}

test('a long Inbox: every request has its place, the keyboard reaches undrawn cards, focus follows an answer', async ({ page }) => {
  const answers = RUNS.flatMap((run, r) => Array.from({ length: PER_RUN }, (_, i) => ask(run, r * PER_RUN + i)));
  let pending: { id: string; sessionId: string }[] = [];
  await expect.poll(async () => (pending = ((await callUi(server, 'getSnapshot', {})) as { pending: typeof pending }).pending).length).toBe(RUNS.length * PER_RUN);
  // Display order: runs in the order they first appear, each run's requests in arrival order.
  const shown = RUNS.toSorted((a, b) => pending.findIndex((p) => p.sessionId === a) - pending.findIndex((p) => p.sessionId === b)).flatMap((run) =>
    pending.filter((p) => p.sessionId === run).map((p) => p.id),
  );
  const card = (id: string | undefined) => page.locator(`article[data-approval-id="${id}"]`);

  await page.goto(await server.newUiUrl());
  for (const run of RUNS) await expect(page.getByRole('group', { name: `Run ${run.slice(0, 8)}` })).toContainText(`${PER_RUN} requests`);
  await expect(card(shown[0])).toBeVisible();
  // Only what is near the screen is drawn; the rest keep their place.
  expect(await page.getByRole('article').count()).toBeLessThan(shown.length);
  await expect(card(shown.at(-1))).toHaveCount(0);

  // With no card focused, K goes to the last card: drawn on the way, focused, scrolled into view.
  await page.keyboard.press('k');
  await expect(card(shown.at(-1))).toBeFocused();
  await expect(card(shown.at(-1))).toBeInViewport();
  await page.keyboard.press('k');
  await expect(card(shown.at(-2))).toBeFocused();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(card(shown.at(-1))).toBeFocused();

  // The focused card stays drawn when the page scrolls away from it.
  await page.evaluate('window.scrollTo(0, 0)');
  await expect(card(shown[0])).toBeInViewport();
  await expect(card(shown.at(-1))).toBeFocused();

  // Alt+A answers the focused card; focus goes to the card that takes its place (the one before).
  await expect(card(shown.at(-1)).getByRole('button', { name: 'Approve once' })).toBeEnabled();
  await page.keyboard.press('Alt+a');
  expect(await answers.at(-1)).toBe('allow');
  await expect(card(shown.at(-1))).toHaveCount(0);
  await expect(card(shown.at(-2))).toBeFocused();
  await expect(page.getByRole('group', { name: `Run ${RUNS[1]!.slice(0, 8)}` })).toContainText(`${PER_RUN - 1} requests`);
});
