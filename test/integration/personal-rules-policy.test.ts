// IT's `allowPersonalRules: false` through the real core: the person's rules are kept but stop
// deciding (and come back when the policy allows), a grant that would make one is refused before
// anything is approved (403 on the web transport), and IT's own rules still decide.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journalEvents } from '../support/fixtures.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let t: TestCore | undefined;
let dir: string | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

type Answer = { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason?: string } };
const bash = (command: string, session = 'run-1') => ({
  session_id: session, cwd: t!.projectDir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: `toolu_${Math.random()}`,
});
const answer = async (res: Promise<{ json: unknown }>) => ((await res).json as Answer).hookSpecificOutput;
const itRule = { toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'git status' } };

/** Writes the policy and waits for the core's 2 s check to apply it. */
async function setPolicy(file: string, allowPersonalRules: boolean): Promise<void> {
  writeFileSync(file, JSON.stringify({ allowPersonalRules, rules: [itRule], organization: { name: 'Acme IT' } }));
  const deadline = Date.now() + 8000;
  while (t!.core.getSnapshot().settings.personalRules !== allowPersonalRules) {
    if (Date.now() > deadline) throw new Error(`the policy change (allowPersonalRules ${allowPersonalRules}) was not applied`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function nextPending() {
  await t!.waitForPending(1);
  return t!.core.getSnapshot().pending[0]!;
}

describe('allowPersonalRules', () => {
  it('turns person-made rules off (kept, shown so) and on again live; IT rules keep deciding', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-personal-rules-'));
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ rules: [itRule], organization: { name: 'Acme IT' } }));
    t = await startTestCore({ policyFile });
    expect(t.core.getSnapshot().settings.personalRules).toBe(true);

    // The person remembers "npm test" always, and "ls" for this run.
    const first = t.hook(bash('npm test'));
    let item = await nextPending();
    await t.core.callUi('approve', { id: item.id, contentHash: item.contentHash, grant: 'always' });
    expect((await answer(first)).permissionDecision).toBe('allow');
    const second = t.hook(bash('ls src'));
    item = await nextPending();
    await t.core.callUi('approve', { id: item.id, contentHash: item.contentHash, grant: 'run' });
    expect((await answer(second)).permissionDecision).toBe('allow');
    expect((await answer(t.hook(bash('npm test')))).permissionDecision).toBe('allow');

    await setPolicy(policyFile, false);
    const rules = t.core.getSnapshot().rules;
    expect(rules.filter((r) => r.origin === 'person')).toEqual([
      expect.objectContaining({ lifetime: 'always', offByPolicy: true }),
      expect.objectContaining({ lifetime: 'run', offByPolicy: true }),
    ]);
    expect(rules.find((r) => r.origin === 'policy')?.offByPolicy).toBeUndefined();

    // The person's rules no longer answer: the request asks, and is denied here.
    for (const command of ['npm test', 'ls src']) {
      const asked = t.hook(bash(command));
      item = await nextPending();
      await t.core.callUi('deny', { id: item.id, contentHash: item.contentHash });
      expect((await answer(asked)).permissionDecision).toBe('deny');
    }
    // IT's rule still answers.
    const it = await answer(t.hook(bash('git status')));
    expect(it.permissionDecision).toBe('allow');

    // Reinstated when the policy allows again.
    await setPolicy(policyFile, true);
    expect(t.core.getSnapshot().rules.some((r) => r.offByPolicy)).toBe(false);
    expect((await answer(t.hook(bash('npm test')))).permissionDecision).toBe('allow');
    expect((await answer(t.hook(bash('ls src')))).permissionDecision).toBe('allow');
  }, 30_000);

  it('refuses a run or always grant before approving anything (403 on the web transport); approve once still works', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-personal-rules-'));
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ allowPersonalRules: false }));
    t = await startTestCore({ policyFile });
    expect(t.core.getSnapshot().settings.personalRules).toBe(false);

    const asked = t.hook(bash('npm test'));
    const item = await nextPending();
    for (const grant of ['run', 'always'] as const) {
      const res = await t.ui('approve', { id: item.id, contentHash: item.contentHash, grant });
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ error: { code: 'personal_rules_off', message: expect.stringMatching(/organisation has turned off rules made here/) } });
      await expect(t.core.callUi('approve', { id: item.id, contentHash: item.contentHash, grant })).rejects.toMatchObject({ code: 'personal_rules_off' });
    }
    // Nothing was approved, no rule made: the request is still pending.
    expect(t.core.getSnapshot().pending.map((p) => p.id)).toEqual([item.id]);
    expect(t.core.getSnapshot().rules).toEqual([]);

    const ok = await t.ui('approve', { id: item.id, contentHash: item.contentHash });
    expect(ok.status).toBe(200);
    expect((await answer(asked)).permissionDecision).toBe('allow');
    // The evidence is the ordinary decision record: a person approved once.
    const decided = (await journalEvents(t.dataDir)).filter((e) => e.name === 'approval.decided');
    expect(decided.at(-1)?.attributes).toMatchObject({ decision: 'allow', 'decision.source': 'user' });
  });

  it("sets the person's 'allow sandboxed Bash without asking' back to asking while personal rules are off", async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-personal-rules-'));
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ organization: { name: 'Acme IT' } }));
    t = await startTestCore({ policyFile });
    await t.core.callUi('setSandboxedBash', { mode: 'allow' });
    expect(t.core.getSnapshot().settings.sandboxedBash).toEqual({ mode: 'allow', source: 'settings' });

    await setPolicy(policyFile, false);
    // The same view the automatic decision reads (sandboxedBashMode): asking, and IT's key named.
    expect(t.core.getSnapshot().settings.sandboxedBash).toEqual({ mode: 'ask', source: 'policy', policyKey: 'allowPersonalRules' });
    await expect(t.core.callUi('setSandboxedBash', { mode: 'allow' })).rejects.toMatchObject({ code: 'setting_locked' });

    // The person's choice was kept: it applies again once IT allows.
    await setPolicy(policyFile, true);
    expect(t.core.getSnapshot().settings.sandboxedBash).toEqual({ mode: 'allow', source: 'settings' });
  });
});
