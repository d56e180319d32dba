// Shared folders end to end: the scope is edited in the page and the real core applies it.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callUi, readFixture, runHook, type RunningServer, SCREENSHOTS, shareProject, startServer, stopAndClean } from './companion-processes.js';

let server: RunningServer;
let project: string;

test.beforeAll(async () => {
  server = await startServer();
  project = await shareProject(server);
});

test.afterAll(() => stopAndClean(server, project));

test('shared folders: share, change access, stop sharing; protected places are refused', async ({ page }) => {
  await page.goto(await server.newUiUrl());
  await page.getByRole('button', { name: 'Shared folders' }).click();
  const list = page.getByRole('list').filter({ has: page.getByRole('combobox') });
  await expect(list.getByRole('listitem').filter({ hasText: project })).toContainText('Until removed');
  await expect(page.getByRole('combobox', { name: `Access to ${project}` })).toHaveValue('read');
  // Claude Code is not connected here: the page says the OS does not enforce the scope for Bash, and how to fix that.
  await expect(page.getByTestId('sandbox-status')).toHaveText(/Enforced by the operating system for Bash: not set up — .*Fix: run "cowork-companion connect claude-code"/);
  // The person's choice for sandboxed Bash is kept by the core (it takes effect once the OS enforces the folders).
  const allowBash = page.getByRole('checkbox', { name: 'Let Bash commands the sandbox confines run without asking' });
  await expect(allowBash).not.toBeChecked();
  await expect(page.getByText(/Takes effect while the operating system enforces the shared folders for Bash/)).toBeVisible();
  await allowBash.check();
  await expect(allowBash).toBeChecked();
  await page.goto(await server.newUiUrl()); // a new window: the choice came from the core
  await page.getByRole('button', { name: 'Shared folders' }).click();
  await expect(allowBash).toBeChecked();
  await allowBash.uncheck();
  await expect(allowBash).not.toBeChecked();

  const docs = join(project, '..', 'design-docs');
  mkdirSync(docs, { recursive: true });
  await page.getByLabel('Folder', { exact: true }).fill(docs);
  await page.getByRole('radio', { name: 'Read & write' }).check();
  await page.getByLabel('Label').fill('Design docs');
  await expect(page.getByText('Agents will be able to read and change files in this folder until you remove it.')).toBeVisible();
  await page.getByRole('button', { name: 'Share folder' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Shared' })).toContainText(docs);
  const access = page.getByRole('combobox', { name: `Access to ${docs}` });
  await expect(access).toHaveValue('read-write');

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'shared-folders.png') });

  // What the page shared is what the core enforces: a read there passes without asking…
  const read = () => runHook(server.dataDir, readFixture('pretooluse-read.json', docs));
  expect((await read()).answer.hookSpecificOutput?.permissionDecision).toBe('allow');

  await access.selectOption('read');
  await expect(access).toHaveValue('read');
  await page.getByRole('button', { name: `Stop sharing ${docs}` }).click();
  await expect(access).toHaveCount(0);
  // …and once it is no longer shared, the same read is refused, naming the folder to share.
  const refused = (await read()).answer.hookSpecificOutput;
  expect(refused?.permissionDecision).toBe('deny');
  expect(refused?.permissionDecisionReason).toContain('outside the folders shared');

  // The companion's own data folder is protected: the core refuses, the page says why.
  await page.getByLabel('Folder', { exact: true }).fill(server.dataDir);
  await page.getByRole('button', { name: 'Share folder' }).click();
  await expect(page.getByRole('alert')).toContainText(/protect|forbidden|companion/i);
  await expect(page.getByRole('combobox', { name: `Access to ${server.dataDir}` })).toHaveCount(0);
});

/** What the share form says it did (the page's connection status is a status too). */
const formStatus = (page: Page) => page.getByRole('form', { name: 'Share a folder' }).getByRole('status');

/** A server whose home folder is a temp folder with an SSH key folder and a project in it. */
async function startWithHome(policy?: Record<string, unknown>): Promise<{ server: RunningServer; home: string; done: () => Promise<void> }> {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'companion-e2e-home-')));
  mkdirSync(join(home, '.ssh'));
  mkdirSync(join(home, 'projects', 'app'), { recursive: true });
  let policyFile: string | undefined;
  if (policy) {
    policyFile = join(home, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(policy));
  }
  const s = await startServer({ env: { HOME: home }, ...(policyFile ? { policyFile } : {}) });
  return {
    server: s,
    home,
    done: async () => {
      await s.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

test('broad shares: ~ works in the path field, sharing the home folder needs "Share anyway", sharing again says so', async ({ page }) => {
  const { server: s, home, done } = await startWithHome();
  try {
    await page.goto(await s.newUiUrl());
    await page.getByRole('button', { name: 'Shared folders' }).click();
    const folderField = page.getByLabel('Folder', { exact: true });
    const app = join(home, 'projects', 'app');
    await folderField.fill('~/projects/app');
    await page.getByRole('button', { name: 'Share folder' }).click();
    await expect(formStatus(page)).toHaveText(`Shared ${app}`);
    await expect(page.getByRole('combobox', { name: `Access to ${app}` })).toHaveValue('read');

    // The same folder again, with the same settings: nothing changes, and the page says so.
    await folderField.fill(app);
    await page.getByRole('button', { name: 'Share folder' }).click();
    await expect(formStatus(page)).toHaveText(`${app} is already shared with these settings; nothing changed.`);

    // The home folder: what it means, before anything is shared.
    await folderField.fill('~');
    await page.getByRole('radio', { name: 'Read & write' }).check();
    await page.getByRole('button', { name: 'Share folder' }).click();
    const notice = page.getByTestId('broad-share');
    await expect(notice).toContainText('This folder is broad. Check what sharing it means');
    await expect(notice).toContainText('It is (or contains) your home folder: agents could read and change every file in it');
    await expect(notice.getByRole('listitem').filter({ hasText: join(home, '.ssh') })).toContainText('SSH keys');
    await expect(page.getByRole('button', { name: 'Share folder' })).toHaveCount(0);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.getByRole('form', { name: 'Share a folder' }).screenshot({ path: join(SCREENSHOTS, 'shared-folders-broad.png') });
    await expect(page.getByRole('combobox', { name: `Access to ${home}`, exact: true })).toHaveCount(0);
    // The core decides, not the page: without the confirmation it refuses.
    await expect(callUi(s, 'addSharedFolder', { path: home, mode: 'read-write' })).rejects.toThrow(/428.*scope_confirm_broad/);

    // Cancel leaves everything as it was; "Share anyway" shares it.
    await notice.getByRole('button', { name: 'Cancel' }).click();
    await expect(notice).toHaveCount(0);
    await page.getByRole('button', { name: 'Share folder' }).click();
    await notice.getByRole('button', { name: 'Share anyway' }).click();
    await expect(formStatus(page)).toHaveText(`Shared ${home}`);
    const homeAccess = page.getByRole('combobox', { name: `Access to ${home}`, exact: true });
    await expect(homeAccess).toHaveValue('read-write');

    // In the list: narrowing just happens; widening again says what it means first.
    await homeAccess.selectOption('read');
    await expect(homeAccess).toHaveValue('read');
    await homeAccess.selectOption('read-write');
    const rowNotice = page.getByRole('listitem').filter({ has: homeAccess }).getByTestId('broad-share');
    await expect(rowNotice).toContainText('agents could read and change every file in it');
    await expect(homeAccess).toHaveValue('read');
    await rowNotice.getByRole('button', { name: 'Share anyway' }).click();
    await expect(homeAccess).toHaveValue('read-write');
    await expect(rowNotice).toHaveCount(0);
  } finally {
    await done();
  }
});

test('broad shares: when IT refuses them, the page says who refuses and offers nothing to confirm', async ({ page }) => {
  const { server: s, home, done } = await startWithHome({ allowBroadShares: false, organization: { name: 'Example Corp', contact: 'it@example.com' } });
  try {
    await page.goto(await s.newUiUrl());
    await page.getByRole('button', { name: 'Shared folders' }).click();
    await page.getByLabel('Folder', { exact: true }).fill('~');
    await page.getByRole('button', { name: 'Share folder' }).click();
    const notice = page.getByTestId('broad-share');
    await expect(notice).toContainText('Example Corp does not allow sharing folders this broad. Contact: it@example.com.');
    await expect(notice.getByTestId('locked-by')).toHaveText('Set by Example Corp · policy key allowBroadShares · contact it@example.com');
    await expect(notice).toContainText('It is (or contains) your home folder: agents could read every file in it');
    await expect(notice.getByRole('button')).toHaveCount(0);
    await expect(page.getByRole('combobox', { name: `Access to ${home}`, exact: true })).toHaveCount(0);
    // A narrower folder is still fine.
    await page.getByLabel('Folder', { exact: true }).fill('~/projects/app');
    await page.getByRole('button', { name: 'Share folder' }).click();
    await expect(formStatus(page)).toHaveText(`Shared ${join(home, 'projects', 'app')}`);
  } finally {
    await done();
  }
});
