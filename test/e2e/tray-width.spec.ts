// The tray window's width (electron/main/window-options.ts: 420 px, 360 at the least) measured at
// 400 px in real Chromium, in English, Japanese and Indonesian (the longest): every tab's label is
// whole and on screen, and with one pending request the first card's Approve button is in view
// without scrolling. Also: until the person chooses a language, the browser's is used.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { callUi, readFixture, runHook, SCREENSHOTS, shareProject, startServer, stopAndClean, type HookResult, type RunningServer } from './companion-processes.js';

let server: RunningServer;
let project: string;
let hook: Promise<HookResult>;
let second: Promise<HookResult>;

const APPROVE = { en: 'Approve once', ja: '今回のみ承認', id: 'Setujui sekali' } as const;
const TABS = { en: 'Views', ja: '表示', id: 'Tampilan' } as const;
/** The core's note on the card (why a person is asked), in the language shown. */
const NOTE = { en: ', which is shared read-only.', ja: 'は読み取り専用で共有されている', id: ', yang dibagikan hanya-baca.' } as const;

test.beforeAll(async () => {
  // The request must still be waiting at the last measurement.
  server = await startServer({ budgetMs: 300_000 });
  project = await shareProject(server, 'read', ['src/refunds']);
});

test.afterAll(async () => {
  const snapshot = (await callUi(server, 'getSnapshot', {})) as { pending: { id: string; contentHash: string }[] };
  for (const p of snapshot.pending) await callUi(server, 'deny', { id: p.id, contentHash: p.contentHash });
  for (const h of [hook, second]) if (h) expect((await h).answer.hookSpecificOutput?.permissionDecision).toBe('deny');
  await stopAndClean(server, project);
});

async function open(page: Page, lang: keyof typeof TABS): Promise<void> {
  await page.goto(await server.newUiUrl());
  await expect(page.getByRole('navigation', { name: TABS[lang] })).toBeVisible();
}

test("the browser's language is the default until the person chooses one", async ({ browser }) => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  try {
    await open(page, 'ja');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await page.getByRole('button', { name: '設定' }).click();
    await expect(page.getByLabel('言語')).toHaveValue('ja');
    // The person picks English: that wins over the browser from now on.
    await page.getByLabel('言語').selectOption('en');
    await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
    // A new window (the credential lives in memory only) opens in the person's choice.
    await open(page, 'en');
  } finally {
    await context.close();
  }
});

for (const lang of ['en', 'ja', 'id'] as const) {
  for (const height of [600, 700]) {
    test(`400×${height}, ${lang}: every tab whole and in view, the first card's Approve in view without scrolling`, async ({ page }) => {
      await callUi(server, 'setLanguage', { language: lang });
      hook ??= runHook(server.dataDir, readFixture('pretooluse-write.json', project));
      await page.setViewportSize({ width: 400, height });
      await open(page, lang);
      const approve = page.getByRole('article').first().getByRole('button', { name: APPROVE[lang], exact: true });
      await expect(approve).toBeVisible();
      await expect(page.getByRole('article').first()).toContainText(NOTE[lang]);

      const tabs = page.getByRole('navigation', { name: TABS[lang] }).getByRole('button');
      await expect(tabs).toHaveCount(6);
      for (const tab of await tabs.all()) {
        const box = (await tab.boundingBox())!;
        const label = await tab.innerText();
        // Whole: nothing of the label is cut off inside the button; in view: the button is on screen.
        expect(await tab.evaluate((el) => el.scrollWidth <= el.clientWidth), `"${label}" clipped`).toBe(true);
        expect(box.x, `"${label}" starts off screen`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `"${label}" ends off screen`).toBeLessThanOrEqual(400);
      }

      expect(await page.evaluate('window.scrollY')).toBe(0);
      const box = (await approve.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height, `Approve ends at ${box.y + box.height} px`).toBeLessThanOrEqual(height);
      expect(box.x + box.width).toBeLessThanOrEqual(400);

      if (height === 600 && lang !== 'en') {
        await expect(approve).toBeEnabled(); // past the card's grace period: drawn as the person sees it
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOTS, `inbox-tray-width-${lang}.png`) });
      }
    });
  }
}

test('the live region speaks the current count in the current language, never the previous one', async ({ page }) => {
  await callUi(server, 'setLanguage', { language: 'id' });
  hook ??= runHook(server.dataDir, readFixture('pretooluse-write.json', project));
  await open(page, 'id');
  const live = page.locator('[aria-live="polite"]');
  await expect(live).toHaveText(/^1 menunggu persetujuan\s*$/);
  await callUi(server, 'setLanguage', { language: 'ja' });
  await expect(page.getByRole('navigation', { name: TABS.ja })).toBeVisible();
  await expect(live).toHaveText(''); // the Indonesian sentence is gone, not re-read in the new language
  second = runHook(server.dataDir, readFixture('pretooluse-edit.json', project));
  await expect(page.getByRole('article')).toHaveCount(2);
  await expect(live).toHaveText(/^新しいリクエスト: Edit, /);
});
