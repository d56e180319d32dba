// The Timeline end to end: a real `serve`, real hook processes and the agent's own telemetry relayed
// through POST /v1/logs; in Chromium the filters narrow the list, a run opens as its story in order
// (prompt → request → decision → tool result), each export downloads and parses (CSV columns, JSON,
// OTLP JSON decoded), the empty state, "View in Timeline" from Runs, and a store that cannot open.
import { expect, test, type Download, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeOtlpJson } from '../support/otlp-receiver.js';
import { SCREENSHOTS, callUi, readFixture, runHook, startServer, type RunningServer } from './companion-processes.js';

const RUN_A = 'a11ce000-1111-4c7e-8d2f-1f6a3b9c7e21';
const RUN_B = 'b0b00000-2222-4c7e-8d2f-1f6a3b9c7e21';

let server: RunningServer;
let root: string;
let project: string;

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name });

/** Claude Code's OTLP/HTTP JSON logs, as its exporter posts them to the relay. */
async function relay(records: { event: string; time: number; attributes: Record<string, string | number> }[]): Promise<void> {
  const token = readFileSync(server.info.tokenFile, 'utf8').trim();
  const res = await fetch(new URL('/v1/logs', server.info.agentApiUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
          scopeLogs: [
            {
              scope: { name: 'com.anthropic.claude_code.events' },
              logRecords: records.map((r) => ({
                timeUnixNano: `${BigInt(r.time) * 1_000_000n}`,
                body: { stringValue: `claude_code.${r.event}` },
                attributes: [{ key: 'event.name', value: { stringValue: r.event } }, ...Object.entries(r.attributes).map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: v } : { stringValue: v } }))],
              })),
            },
          ],
        },
      ],
    }),
  });
  expect(res.status, await res.text()).toBe(200);
}

async function pendingId(toolName: string): Promise<{ id: string; contentHash: string }> {
  for (let i = 0; i < 100; i++) {
    const snapshot = (await callUi(server, 'getSnapshot', {})) as { pending: { id: string; contentHash: string; toolName: string }[] };
    const item = snapshot.pending.find((p) => p.toolName === toolName);
    if (item) return item;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no pending ${toolName}`);
}

test.beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'companion-e2e-timeline-')));
  project = join(root, 'payments-api');
  mkdirSync(join(project, 'src', 'refunds'), { recursive: true });
  writeFileSync(join(project, 'src', 'refunds', 'retry.ts'), 'export const retry = 1;\n');
  server = await startServer();
  await callUi(server, 'addSharedFolder', { path: project, mode: 'read' });

  // Run A: the prompt (relayed), a read the scope allows, a write into the read-only folder that a
  // person denies, then the agent's tool result (relayed).
  await relay([{ event: 'user_prompt', time: Date.now(), attributes: { 'session.id': RUN_A, 'prompt.id': 'prompt-a', prompt_length: 51 } }]);
  const read = await runHook(server.dataDir, { ...readFixture('pretooluse-read.json', project), session_id: RUN_A });
  expect(read.answer.hookSpecificOutput?.permissionDecision).toBe('allow');
  const write = runHook(server.dataDir, { ...readFixture('pretooluse-write.json', project), session_id: RUN_A });
  const item = await pendingId('Write');
  await callUi(server, 'deny', { ...item, reason: 'Not the refund module, please' });
  expect((await write).answer.hookSpecificOutput?.permissionDecision).toBe('deny');
  await relay([{ event: 'tool_result', time: Date.now(), attributes: { 'session.id': RUN_A, tool_name: 'Write', success: 'false', error: 'denied by hook', duration_ms: 4 } }]);

  // Run B: a write outside every shared folder, denied by the policy.
  const outside = await runHook(server.dataDir, {
    ...readFixture('pretooluse-write.json', project),
    session_id: RUN_B,
    tool_use_id: 'toolu_b_1',
    tool_input: { file_path: join(root, 'elsewhere', 'notes.md'), content: 'x' },
  });
  expect(outside.answer.hookSpecificOutput?.permissionDecision).toBe('deny');
});

test.afterAll(async () => {
  const { code } = await server.stop();
  expect(code, server.stderr()).toBe(0);
  rmSync(root, { recursive: true, force: true });
});

async function openTimeline(page: Page): Promise<void> {
  await page.goto(await server.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  await tab(page, 'Timeline').click();
  await expect(page.getByRole('heading', { name: 'Timeline', level: 2 })).toBeVisible();
}

const count = (page: Page) => page.getByTestId('tl-count');
const rows = (page: Page) => page.locator('.timeline .tl-list > li');

test('filters narrow the list; the count is announced; nothing matching says so', async ({ page }) => {
  await openTimeline(page);
  await expect(count(page)).toHaveText(/^\d+ events shown$/);
  const all = await rows(page).count();
  expect(all).toBeGreaterThanOrEqual(6);
  await page.setViewportSize({ width: 900, height: 1100 });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'timeline.png'), fullPage: true });

  await page.getByLabel('Decision').selectOption('deny');
  await expect(count(page)).toHaveText('2 events shown');
  await expect(rows(page).locator('[data-decision]')).toHaveText(['Denied', 'Denied']);

  await page.getByLabel('Decided by').selectOption('user');
  await expect(count(page)).toHaveText('1 event shown');
  await expect(rows(page).first()).toContainText('Not the refund module, please');
  await expect(rows(page).first()).toContainText('by A person');

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Run id').fill(RUN_B);
  await expect(count(page)).not.toHaveText(/^\d{2,} events/);
  await expect(rows(page).getByRole('button', { name: /Open the story of run/ })).not.toHaveCount(0);
  for (const button of await rows(page).getByRole('button', { name: /Open the story of run/ }).all()) await expect(button).toHaveText('Run b0b00000');

  await page.getByLabel('Run id').fill('');
  await page.getByLabel('Words').fill('refund module');
  await expect(count(page)).toHaveText('1 event shown');

  await page.getByLabel('Words').fill('nothing-matches-this-zzz');
  await expect(count(page)).toHaveText('No events match these filters.');
  await expect(page.getByText('Widen the time range or clear a filter.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export the events that match as CSV' })).toBeDisabled();

  await page.getByLabel('Words').fill('');
  // A folder: the events whose working folder is at or below it (every request here ran in the
  // project), never a sibling that starts the same.
  await page.getByLabel('Folder').fill(root);
  await expect(count(page)).toHaveText(/^\d+ events shown$/);
  const underRoot = await count(page).textContent();
  await page.getByLabel('Folder').fill(`${project}/`);
  await expect(count(page)).toHaveText(underRoot!);
  await page.getByLabel('Decided by').selectOption('user');
  await expect(count(page)).toHaveText('1 event shown');
  await page.getByLabel('Decided by').selectOption('');
  await page.getByLabel('Folder').fill(join(root, 'pay'));
  await expect(count(page)).toHaveText('No events match these filters.');
  await page.getByLabel('Folder').fill('');
  await page.getByLabel('Time', { exact: true }).selectOption('custom');
  await page.getByLabel('From', { exact: true }).fill('2030-01-02T10:00');
  await page.getByLabel('To', { exact: true }).fill('2030-01-01T10:00');
  await expect(page.getByRole('alert').filter({ hasText: '“From” must be before “To”.' })).toBeVisible();
  await page.getByLabel('To', { exact: true }).fill('2030-01-03T10:00');
  await expect(count(page)).toHaveText('No events match these filters.');
});

test('a run opens as its story, in order, and its exports parse', async ({ page }) => {
  await openTimeline(page);
  await page.getByLabel('Run id').fill(RUN_A);
  await expect(count(page)).toHaveText(/events shown/);
  await rows(page).getByRole('button', { name: 'Open the story of run a11ce000' }).first().click();

  const story = page.locator('.tl-story');
  await expect(story.getByRole('heading', { name: 'Run a11ce000' })).toBeFocused();
  await expect(story.getByTestId('tl-run-id')).toHaveText(RUN_A);
  const steps = story.locator('.tl-story-list > li');
  await expect(steps.filter({ hasText: 'Tool result' })).toHaveCount(1);
  const kinds = await steps.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')}:${e.querySelector('[data-decision]')?.getAttribute('data-decision') ?? ''}`));
  const at = (k: string) => kinds.findIndex((x) => x.startsWith(k));
  expect(at('prompt:'), kinds.join(' ')).toBeGreaterThanOrEqual(0);
  expect(at('prompt:')).toBeLessThan(at('request:'));
  expect(at('request:')).toBeLessThan(kinds.indexOf('decision:deny'));
  expect(kinds.indexOf('decision:allow')).toBeLessThan(kinds.indexOf('decision:deny'));
  expect(kinds.indexOf('decision:deny')).toBeLessThan(at('tool-result:'));
  const denied = steps.filter({ has: page.locator('[data-decision="deny"]') });
  await expect(denied).toContainText('by A person');
  await expect(denied).toContainText('Not the refund module, please');
  await expect(steps.filter({ hasText: 'Tool result' })).toContainText('Failed');
  await page.setViewportSize({ width: 900, height: 1000 });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'timeline-run.png'), fullPage: true });

  const save = async (format: string): Promise<{ download: Download; text: string }> => {
    const pending = page.waitForEvent('download');
    await story.getByRole('button', { name: `Export the events that match as ${format}` }).click();
    const download = await pending;
    return { download, text: readFileSync((await download.path())!, 'utf8') };
  };

  const csv = await save('CSV');
  expect(csv.download.suggestedFilename()).toMatch(/^timeline-run-a11ce000-\d{4}-\d{2}-\d{2}T\d{4}Z\.csv$/);
  const lines = csv.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  expect(lines[0]).toBe('time,event,agent_event,session_id,tool,decision,decided_by,target,reason,cwd,event_id,attributes');
  expect(lines).toHaveLength(kinds.length + 1);
  expect(lines.some((l) => l.includes(',approval.decided,,') && l.includes(',deny,user,'))).toBe(true);
  await expect(story.getByRole('status').filter({ hasText: /Saved \d+ events as timeline-run-a11ce000/ })).toBeVisible();

  const json = await save('JSON');
  const parsed = JSON.parse(json.text) as { filter: unknown; count: number; truncated: boolean; events: { name: string; attributes: Record<string, unknown> }[] };
  expect(parsed).toMatchObject({ filter: { sessionId: RUN_A }, count: kinds.length, truncated: false });
  expect(parsed.events.map((e) => e.attributes['session.id'])).toEqual(Array(kinds.length).fill(RUN_A));
  expect(parsed.events.filter((e) => e.name === 'agent.log').map((e) => e.attributes['event.name'])).toEqual(['user_prompt', 'tool_result']);

  const otlp = await save('OTLP JSON');
  expect(otlp.download.suggestedFilename()).toMatch(/\.otlp\.json$/);
  const records = decodeOtlpJson(JSON.parse(otlp.text) as Parameters<typeof decodeOtlpJson>[0]);
  expect(records).toHaveLength(kinds.length);
  expect(records[0]!.resource['service.name']).toBe('cowork-companion');
  expect(records.map((r) => r.eventName)).toEqual(parsed.events.map((e) => e.name));
  expect(records.find((r) => r.attributes['decision'] === 'deny')?.attributes['decision.source']).toBe('user');

  await story.getByRole('button', { name: /Back to the list/ }).click();
  // Back to the row that opened it.
  await expect(rows(page).getByRole('button', { name: 'Open the story of run a11ce000' }).first()).toBeFocused();
});

test('"View in Timeline" on a run in Runs opens its story', async ({ page }) => {
  await page.goto(await server.newUiUrl());
  await tab(page, 'Runs').click();
  await page.locator(`[data-session-id="${RUN_B}"]`).getByRole('button', { name: 'View run b0b00000 in the Timeline' }).click();
  await expect(page.locator('.tl-story').getByTestId('tl-run-id')).toHaveText(RUN_B);
  await expect(page.locator('.tl-story-list [data-decision="deny"]')).toHaveText('Denied');
  await expect(page.locator('.tl-story-list')).toContainText('by The policy');
  // Back on the list it stays filtered to the run; the tab opened again later shows the list.
  await page.getByRole('button', { name: /Back to the list/ }).click();
  await expect(page.getByLabel('Run id')).toHaveValue(RUN_B);
  await tab(page, 'Runs').click();
  await tab(page, 'Timeline').click();
  await expect(page.getByRole('heading', { name: 'Timeline', level: 2 })).toBeVisible();
  await expect(page.locator('.tl-story')).toHaveCount(0);
});

test('newest first, a page at a time: "Load older events" adds the next page', async ({ page }) => {
  const RUN_C = 'c0c00000-3333-4c7e-8d2f-1f6a3b9c7e21';
  const start = Date.now() - 10 * 60_000;
  await relay(Array.from({ length: 150 }, (_, i) => ({ event: 'api_request', time: start + i * 1000, attributes: { 'session.id': RUN_C, model: 'claude-sonnet', seq: i } })));
  await openTimeline(page);
  await page.getByLabel('Run id').fill(RUN_C);
  const times = async () => await rows(page).locator('time').evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime')!)));
  // The relay keeps the agent's own time (its conversion from nanoseconds may move it by 1 ms).
  const near = (got: number[], want: number[]) => got.length === want.length && got.every((t, i) => Math.abs(t - want[i]!) <= 1);
  // The unfiltered list has over 100 events too: wait for this run's newest at the top.
  await expect.poll(async () => near((await times()).slice(0, 1), [start + 149_000])).toBe(true);
  await expect(count(page)).toHaveText('100 events shown Older events match too.');
  await expect(rows(page).getByRole('button', { name: /Open the story of run/ })).toHaveText(Array(100).fill('Run c0c00000'));
  const first = await times();
  expect(near(first, Array.from({ length: 100 }, (_, i) => start + (149 - i) * 1000)), first.join(' ')).toBe(true);
  await page.getByRole('button', { name: 'Load older events' }).click();
  await expect(count(page)).toHaveText('150 events shown');
  await expect(page.getByRole('button', { name: 'Load older events' })).toHaveCount(0);
  const all = await times();
  expect(near(all, Array.from({ length: 150 }, (_, i) => start + (149 - i) * 1000)), all.join(' ')).toBe(true);
});

test('the agent’s text shows its hidden characters: event name, attribute keys, run id and the story heading', async ({ page }) => {
  // A right-to-left override inside the first 8 characters of the run id (the shown part).
  const RUN_D = 'd0\u202Ed0000-4444-4c7e-8d2f-1f6a3b9c7e21';
  await relay([{ event: 'tool\u202Eexe.result', time: Date.now(), attributes: { 'session.id': RUN_D, 'key\u200Bhidden': 'zzhiddenkeysvalue' } }]);
  await openTimeline(page);
  await page.getByLabel('Words').fill('zzhiddenkeysvalue');
  await expect(count(page)).toHaveText('1 event shown');
  const row = rows(page).first();
  await expect(row.locator('.tl-name .hidden-char')).toHaveText('⟨U+202E⟩');
  const button = row.getByRole('button', { name: /Open the story of run/ });
  await expect(button).toHaveText('Run d0⟨U+202E⟩d0000');
  await expect(button).toHaveAttribute('aria-label', /d0⟨U\+202E⟩d0000/);
  await button.click();
  await expect(page.locator('#tl-story-title .hidden-char')).toHaveText('⟨U+202E⟩');
  await expect(page.getByTestId('tl-run-id')).toHaveText(`d0⟨U+202E⟩d0000-4444-4c7e-8d2f-1f6a3b9c7e21`);
  await page.locator('.tl-story .tl-details summary').first().click();
  await expect(page.locator('.tl-story .tl-details dt .hidden-char').first()).toHaveText('⟨U+200B⟩');
});

test('a run id’s start finds the run; Back returns focus to the row that opened the story; the export takes the filters shown', async ({ page }) => {
  await openTimeline(page);
  await page.getByLabel('Run id').fill('b0b00000');
  const buttons = rows(page).getByRole('button', { name: /Open the story of run/ });
  await expect(buttons.filter({ hasNotText: 'Run b0b00000' })).toHaveCount(0);
  await expect(buttons).not.toHaveCount(0);
  const shown = await rows(page).count();

  const opener = rows(page).last().getByRole('button', { name: /Open the story of run/ });
  await opener.click();
  await expect(page.getByTestId('tl-run-id')).toHaveText(RUN_B);
  await page.getByRole('button', { name: /Back to the list/ }).click();
  await expect(opener).toBeFocused();

  // Words typed but not yet applied (the list still shows the run's events): the export is of what is shown.
  await page.getByLabel('Words').fill('nothing-matches-this-zzz');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export the events that match as JSON' }).click()]);
  const file = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { filter: Record<string, unknown>; count: number };
  expect(file.filter).toEqual(expect.objectContaining({ sessionId: 'b0b00000' }));
  expect(file.filter['text']).toBeUndefined();
  expect(file.count).toBe(shown);
});

test('a timeline store that cannot be opened is said so; the rest works', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'companion-e2e-timeline-broken-'));
  // A folder where the store's file goes: it can neither be opened nor removed to start again.
  mkdirSync(join(dataDir, 'timeline.sqlite', 'occupied'), { recursive: true });
  const broken = await startServer({ dataDir });
  try {
    await page.goto(await broken.newUiUrl());
    await tab(page, 'Timeline').click();
    const callout = page.getByRole('alert').filter({ hasText: 'The timeline is not available' });
    await expect(callout).toBeVisible();
    await expect(callout).toContainText('Decisions are still made and recorded as evidence');
    await expect(page.getByRole('button', { name: 'Export the events that match as JSON' })).toHaveCount(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'timeline-unavailable.png') });
    await tab(page, 'Inbox').click();
    await expect(page.getByText('No pending approvals')).toBeVisible();
  } finally {
    const { code } = await broken.stop();
    expect(code, broken.stderr()).toBe(0);
  }
});

test('while the store is still being built from the journal, the list says its newest events may be missing', async ({ page }) => {
  // The core's side (a bounded catch-up per call, `indexing` in its answer) is timeline.test.ts's;
  // here, what the view shows of that answer: the core's real page, said to be still indexing.
  await page.route('**/ui/api/timelineQuery', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...((await response.json()) as object), indexing: true } });
  });
  await openTimeline(page);
  await expect(count(page)).toHaveText(/^\d+ events shown/);
  await expect(page.getByRole('status').filter({ hasText: 'Still building the timeline from the evidence journal' })).toBeVisible();
  await expect(rows(page)).not.toHaveCount(0);
});
