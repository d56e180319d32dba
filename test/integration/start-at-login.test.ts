// Start at login in the core: the person's setting, IT's policy locking it (live, as the policy file
// changes), and the headless companion, where nothing can start at login.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../support/start-core.js';

let t: TestCore | undefined;
let dir: string | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const view = () => t!.core.getSnapshot().settings.startAtLogin;
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

describe('start at login in the core', () => {
  it("the person turns it off; IT's policy then locks it, live, and keeps it locked on IT's last valid policy", async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-start-at-login-'));
    const policyFile = join(dir, 'policy.json');
    t = await startTestCore({ policyFile, startAtLoginAvailable: true, share: false });
    expect(view()).toEqual({ value: true, source: 'default', available: true });
    await t.core.callUi('setStartAtLogin', { enabled: false });
    expect(view()).toEqual({ value: false, source: 'settings', available: true });

    const seen: unknown[] = [];
    t.core.onSnapshot((s) => seen.push(s.settings.startAtLogin));
    writeFileSync(policyFile, JSON.stringify({ autostart: true }));
    await expect.poll(view, { timeout: 10_000 }).toEqual({ value: true, source: 'policy', available: true });
    expect(seen).toContainEqual({ value: true, source: 'policy', available: true });
    expect(await codeOf(t.core.callUi('setStartAtLogin', { enabled: false }))).toBe('setting_locked');
    // Over the web transport too, with the same code.
    const web = await t.ui('setStartAtLogin', { enabled: false });
    expect(web.json).toMatchObject({ error: { code: 'setting_locked' } });

    // A managed policy in force without `autostart`: on, still IT's.
    writeFileSync(policyFile, JSON.stringify({ outOfScope: 'ask' }));
    await new Promise((r) => setTimeout(r, 2500));
    expect(view()).toEqual({ value: true, source: 'policy', available: true });
    writeFileSync(policyFile, JSON.stringify({ autostart: false }));
    await expect.poll(view, { timeout: 10_000 }).toEqual({ value: false, source: 'policy', available: true });

    // A policy file made invalid keeps IT's last valid policy in force: still locked, still IT's answer.
    writeFileSync(policyFile, '{ "autostart": ');
    await expect.poll(() => t!.core.getSnapshot().policy.behaviour, { timeout: 10_000 }).toBe('last-valid');
    expect(view()).toEqual({ value: false, source: 'policy', available: true });
  });

  it('headless: shown as unavailable, and refused', async () => {
    t = await startTestCore({ share: false });
    expect(view()).toEqual({ value: true, source: 'default', available: false });
    expect(await codeOf(t.core.callUi('setStartAtLogin', { enabled: false }))).toBe('unsupported');
    expect(await codeOf(t.core.callUi('setStartAtLogin', { enabled: 'no' }))).toBe('invalid_request');
  });
});
