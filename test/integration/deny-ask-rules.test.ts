// Deny and ask rules through the real core (HTTP hook endpoint, managed policy file, journal): IT's
// `mcp__github__*` deny rule as the issue writes it, IT over the person, an ask rule over an allow rule
// and over what the scope allows, a person's "Always deny…" from a card, and a person's deny rule kept
// while IT turns person-made rules off.
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
const payload = (tool_name: string, tool_input: Record<string, unknown>, session = 'run-1') => ({
  session_id: session, cwd: t!.projectDir, hook_event_name: 'PreToolUse', tool_name, tool_input, tool_use_id: `toolu_${Math.random()}`,
});
const bash = (command: string, session = 'run-1') => payload('Bash', { command }, session);
const answer = async (res: Promise<{ json: unknown }>) => ((await res).json as Answer).hookSpecificOutput;

async function withPolicy(policy: object): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'cc-gating-'));
  const policyFile = join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify({ organization: { name: 'Acme IT' }, ...policy }));
  t = await startTestCore({ policyFile });
}

async function nextPending() {
  await t!.waitForPending(1);
  return t!.core.getSnapshot().pending[0]!;
}

describe('deny and ask rules', () => {
  it("IT's `mcp__github__*` deny rule, as the issue writes it, denies every github MCP call and names the rule; other servers still ask", async () => {
    await withPolicy({ rules: [{ toolName: 'mcp__github__*', effect: 'deny' }] });
    const rule = t!.core.getSnapshot().rules[0]!;
    expect(rule).toMatchObject({ origin: 'policy', locked: true, effect: 'deny', toolName: 'mcp__github__*', match: { kind: 'any' } });

    const denied = await answer(t!.hook(payload('mcp__github__create_issue', { title: 'x', body: 'y' })));
    expect(denied.permissionDecision).toBe('deny');
    expect(denied.permissionDecisionReason).toBe(`Blocked by Cowork Companion: a rule denies this: ${rule.description}`);
    expect(rule.description).toMatch(/Never lets the agent call any tool of the github MCP server/);
    const recent = t!.core.getSnapshot().recent[0]!;
    expect(recent).toMatchObject({ toolName: 'mcp__github__create_issue', decision: 'deny', source: 'rule', rule: `rule:${rule.id}`, reason: denied.permissionDecisionReason });
    expect(t!.core.getSnapshot().rules[0]!.hits).toBe(1);

    // Another server is not covered: it asks a person as before.
    const other = t!.hook(payload('mcp__jira__create_issue', { title: 'x' }));
    const item = await nextPending();
    expect(item.toolName).toBe('mcp__jira__create_issue');
    await t!.core.callUi('deny', { id: item.id, contentHash: item.contentHash });
    expect((await answer(other)).permissionDecision).toBe('deny');

    const decided = (await journalEvents(t!.dataDir)).filter((e) => e.name === 'approval.decided');
    expect(decided[0]?.attributes).toMatchObject({ tool_name: 'mcp__github__create_issue', decision: 'deny', 'decision.source': 'rule', 'decision.rule': `rule:${rule.id}` });
  }, 30_000);

  it("IT's deny wins over IT's allow; an IT ask rule sends a command IT's or the person's allow rule covers to a person", async () => {
    await withPolicy({
      rules: [
        { toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'git' } },
        { toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'git push' }, effect: 'deny' },
        { toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'git commit' }, effect: 'ask' },
      ],
    });
    expect((await answer(t!.hook(bash('git status')))).permissionDecision).toBe('allow'); // control: IT's allow
    const push = await answer(t!.hook(bash('cd src && git push origin main')));
    expect(push.permissionDecision).toBe('deny');
    expect(push.permissionDecisionReason).toMatch(/a rule denies this: Never lets the agent run shell commands starting with “git push”/);

    // An ask rule: the allow rule for "git" does not answer; a person does, told why on the card.
    const commit = t!.hook(bash('git commit -m x'));
    const item = await nextPending();
    expect(item.note).toMatch(/^A rule asks a person about this: Asks you every time the agent wants to run shell commands starting with “git commit”/);
    await t!.core.callUi('approve', { id: item.id, contentHash: item.contentHash });
    expect((await answer(commit)).permissionDecision).toBe('allow');
    // …and the person cannot make an allow rule that would answer it later: every call still asks.
    const again = t!.hook(bash('git commit -m y'));
    const second = await nextPending();
    await t!.core.callUi('approve', { id: second.id, contentHash: second.contentHash, grant: 'always', rule: { toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'git commit' } } });
    expect((await answer(again)).permissionDecision).toBe('allow');
    const third = t!.hook(bash('git commit -m z'));
    const asked = await nextPending();
    await t!.core.callUi('deny', { id: asked.id, contentHash: asked.contentHash });
    expect((await answer(third)).permissionDecision).toBe('deny');

    // IT's deny keeps answering before any card (so no allow rule a person makes can reach it).
    expect((await answer(t!.hook(bash('git push')))).permissionDecision).toBe('deny');
  }, 30_000);

  it('an ask rule overrides what the scope itself allows (a read in a shared folder)', async () => {
    await withPolicy({ rules: [{ toolName: 'Read', effect: 'ask' }] });
    const read = t!.hook(payload('Read', { file_path: join(t!.projectDir, 'src', 'a.txt') }));
    const item = await nextPending();
    expect(item.note).toMatch(/A rule asks a person about this: Asks you every time the agent wants to use Read/);
    await t!.core.callUi('deny', { id: item.id, contentHash: item.contentHash });
    expect((await answer(read)).permissionDecision).toBe('deny');
    // Control: Grep, not covered, is allowed by the scope without a person.
    expect((await answer(t!.hook(payload('Grep', { pattern: 'x', path: t!.projectDir })))).permissionDecision).toBe('allow');
  }, 30_000);

  it("a person's \"Always deny…\" from a card saves a deny rule that answers the next call; kept while IT turns person-made rules off", async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-gating-'));
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({}));
    t = await startTestCore({ policyFile });

    const first = t.hook(bash('npm publish --tag next'));
    const item = await nextPending();
    expect(item.proposedRule).toMatchObject({ toolName: 'Bash', effect: 'allow', match: { kind: 'command-prefix', prefix: 'npm publish' } });
    // An allow rule is refused here, and a deny rule must cover this very request.
    await expect(t.core.callUi('deny', { id: item.id, contentHash: item.contentHash, grant: 'always', rule: { ...item.proposedRule!, effect: 'allow' } })).rejects.toMatchObject({ code: 'invalid_rule' });
    await expect(
      t.core.callUi('deny', { id: item.id, contentHash: item.contentHash, grant: 'always', rule: { toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'npm test' }, effect: 'deny' } }),
    ).rejects.toMatchObject({ code: 'invalid_rule' });
    await t.core.callUi('deny', { id: item.id, contentHash: item.contentHash, grant: 'always' });
    expect((await answer(first)).permissionDecision).toBe('deny');
    const mine = t.core.getSnapshot().rules.find((r) => r.origin === 'person')!;
    expect(mine).toMatchObject({ effect: 'deny', lifetime: 'always', locked: false, description: `Never lets the agent run shell commands starting with “npm publish” while working in ${t.projectDir} until you revoke it.` });

    const next = await answer(t.hook(bash('npm publish')));
    expect(next).toMatchObject({ permissionDecision: 'deny', permissionDecisionReason: expect.stringContaining(mine.description) });

    // IT turns person-made rules off: the deny rule only tightens, so it stays on (not "off by policy").
    writeFileSync(policyFile, JSON.stringify({ allowPersonalRules: false }));
    const deadline = Date.now() + 8000;
    while (t.core.getSnapshot().settings.personalRules) {
      if (Date.now() > deadline) throw new Error('the policy change was not applied');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(t.core.getSnapshot().rules.find((r) => r.id === mine.id)?.offByPolicy).toBeUndefined();
    expect((await answer(t.hook(bash('npm publish')))).permissionDecision).toBe('deny');
    // And the person may still make one ("ask every time") while allow rules are refused.
    const asked = t.hook(bash('git push'));
    const card = await nextPending();
    await expect(t.core.callUi('approve', { id: card.id, contentHash: card.contentHash, grant: 'always' })).rejects.toMatchObject({ code: 'personal_rules_off' });
    await t.core.callUi('deny', { id: card.id, contentHash: card.contentHash, grant: 'run', rule: { ...card.proposedRule!, effect: 'ask' } });
    expect((await answer(asked)).permissionDecision).toBe('deny');
    expect(t.core.getSnapshot().rules.find((r) => r.effect === 'ask')).toMatchObject({ lifetime: 'run', sessionId: 'run-1' });
  }, 30_000);

  it("IT's deny rule whose kind can never match its tool: the policy is in force with a warning saying so (not failed closed); a person cannot save such a rule", async () => {
    await withPolicy({ rules: [{ toolName: 'Read', match: { kind: 'command-prefix', prefix: 'git' }, effect: 'deny' }, { toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'git push' }, effect: 'deny' }] });
    const policy = t!.core.getSnapshot().policy;
    expect(policy).toMatchObject({ state: 'warnings', behaviour: 'policy' });
    expect(policy.problems).toEqual([expect.objectContaining({ path: 'rules[0].match.kind', line: 1, message: expect.stringContaining('this deny rule never denies a Read call; it sends every one to a person instead') })]);
    // The other rule applies; the dead one denies no Read, and (as its warning says) sends each to a person.
    expect((await answer(t!.hook(bash('git push origin main')))).permissionDecision).toBe('deny');
    const read = t!.hook(payload('Read', { file_path: join(t!.projectDir, 'src', 'refunds') }));
    const card = await nextPending();
    expect(card.toolName).toBe('Read');
    await t!.core.callUi('deny', { id: card.id, contentHash: card.contentHash });
    await answer(read);

    // A person's "Always deny…" on a WebFetch card by path: refused with the same sentence.
    const fetch = t!.hook(payload('WebFetch', { url: 'https://example.com/a', prompt: 'p' }));
    const web = await nextPending();
    await expect(
      t!.core.callUi('deny', { id: web.id, contentHash: web.contentHash, grant: 'always', rule: { toolName: 'WebFetch', match: { kind: 'path-prefix', path: t!.projectDir }, effect: 'deny' } }),
    ).rejects.toMatchObject({ code: 'invalid_rule', message: expect.stringContaining('WebFetch names no file: this deny rule never denies a WebFetch call. To deny files, write the rule for a file tool') });
    expect(t!.core.getSnapshot().rules.filter((r) => r.origin === 'person')).toHaveLength(0);
    await t!.core.callUi('deny', { id: web.id, contentHash: web.contentHash });
    expect((await answer(fetch)).permissionDecision).toBe('deny');
  }, 30_000);
});
