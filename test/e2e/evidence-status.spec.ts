// Evidence status end to end: the real `serve` process sends telemetry to a closed port
// (127.0.0.1:9, see companion-processes.ts), so the collector is unreachable and decisions wait in
// the on-disk journal; the page must say so in words.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { callUi, readFixture, runHook, type RunningServer, SCREENSHOTS, shareProject, startServer, stopAndClean } from './companion-processes.js';

let server: RunningServer;
let project: string;

interface EvidenceView {
  collectorReachable: boolean | null;
  queued: number;
}
interface SnapshotView {
  version: number;
  pending: { id: string; contentHash: string; toolName: string }[];
  evidence: EvidenceView;
}
const snapshot = async (): Promise<SnapshotView> => (await callUi(server, 'getSnapshot', {})) as SnapshotView;

test.beforeAll(async () => {
  server = await startServer();
  project = await shareProject(server);
});

test.afterAll(() => stopAndClean(server, project));

async function openEvidence(page: Page) {
  await page.goto(await server.newUiUrl());
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /^Evidence/ }).click();
  const view = page.getByRole('region', { name: 'Evidence' });
  await expect(view).toBeVisible();
  return view;
}

test('the Evidence view says where telemetry goes and how', async ({ page }) => {
  const view = await openEvidence(page);
  const destination = view.getByRole('group', { name: 'Destination' });
  await expect(destination).toContainText('http://127.0.0.1:9/v1/logs');
  await expect(destination).toContainText('http/json');
  await expect(destination).toContainText('From environment variables');
  const meter = view.getByRole('meter', { name: 'Journal disk use' });
  await expect(meter).toBeVisible();
  await expect(view.getByRole('group', { name: 'Journal on this computer' })).toContainText(/ of \d+ MB \(/);
  // The header chip opens the same view from anywhere.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /^Inbox/ }).click();
  await expect(view).toHaveCount(0);
  await page.getByRole('button', { name: /^Evidence: / }).click();
  await expect(view).toBeVisible();
});

test('with the collector down, a decision waits in the journal and the page says why', async ({ page }) => {
  const view = await openEvidence(page);

  // A decision: the agent asks to run a command in a read-only shared folder; the person approves.
  const hook = runHook(server.dataDir, readFixture('pretooluse-bash.json', project));
  await expect.poll(async () => (await snapshot()).pending.length, { message: 'the Bash request should reach the Inbox' }).toBe(1);
  const [item] = (await snapshot()).pending;
  await callUi(server, 'approve', { id: item!.id, contentHash: item!.contentHash });
  expect((await hook).answer.hookSpecificOutput?.permissionDecision).toBe('allow');

  // Needs the outbox shipper in electron/core: until then the core reports placeholders
  // (collectorReachable null, queued 0) and this poll times out.
  await expect
    .poll(async () => (await snapshot()).evidence, { message: 'the core should report an unreachable collector and queued events', timeout: 20_000 })
    .toMatchObject({ collectorReachable: false });
  const { queued } = (await snapshot()).evidence;
  expect(queued).toBeGreaterThan(0);

  const delivery = view.getByRole('group', { name: 'Delivery' });
  await expect(delivery).toContainText('Collector unreachable');
  await expect(delivery).toContainText(/\d[\d,]* records? (is|are) stored safely on this computer and will be sent when the collector is reachable/);
  await expect(page.getByRole('button', { name: 'Evidence: collector unreachable' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /^Evidence\W+needs attention$/ })).toBeVisible();

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'evidence.png') });
  await page.setViewportSize({ width: 420, height: 700 });
  await page.screenshot({ path: join(SCREENSHOTS, 'evidence-tray-width.png') });
});

test('losses and rejections look serious and say where rejected records are', async ({ page }) => {
  // The page as it shows a bad day; the core's answer is replaced so every warning is on screen.
  const real = await snapshot();
  const now = Date.now();
  const badDay = {
    ...real,
    version: real.version + 1_000_000,
    serverTime: new Date(now).toISOString(),
    evidence: {
      endpoint: 'https://otel.example.com/v1/logs',
      protocol: 'http/protobuf',
      configSource: 'policy',
      collectorReachable: false,
      lastError: 'connect ECONNREFUSED 10.0.0.7:4318',
      queued: 48_210,
      lastExportAt: new Date(now - 3 * 3_600_000).toISOString(),
      nextAttemptAt: new Date(now + 40_000).toISOString(),
      rejected: 2,
      lost: 3,
      journalBytes: 241 * 1024 * 1024,
      journalLimitBytes: 256 * 1024 * 1024,
    },
  };
  await page.route('**/ui/api/getSnapshot', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(badDay) }));
  const view = await openEvidence(page);

  await expect(page.getByRole('button', { name: 'Evidence: 3 lost' })).toBeVisible();
  await expect(view.getByRole('alert')).toContainText('Evidence lost: 3');
  await expect(view.getByRole('alert')).toContainText('cannot be recovered');
  await expect(view).toContainText('journal/rejected.jsonl');
  await expect(view).toContainText('Set by your organisation');
  await expect(view.getByRole('group', { name: 'Delivery' })).toContainText(/Next try in \d+ s/);
  await expect(view.getByRole('group', { name: 'Delivery' })).toContainText('Last delivered 3 h ago');
  await expect(view.locator('pre')).toHaveText('connect ECONNREFUSED 10.0.0.7:4318');
  await expect(view.getByRole('group', { name: 'Journal on this computer' })).toContainText('241 MB of 256 MB (94%)');

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'evidence-attention.png'), fullPage: true });
});
