import { describe, expect, it } from 'vitest';
import type { DecisionRecord, Rule } from '../../shared/ui-contract.js';
import { decidingRule, folderToShare } from './decision-fixes.js';
import { i18nFor } from './i18n/translator.js';

const en = i18nFor('en');
const denied = (toolName: string, paths: string[], extra: Partial<DecisionRecord> = {}): DecisionRecord => ({
  approvalId: 'a', toolName, sessionId: 's', decision: 'deny', source: 'policy', decidedAt: '2026-12-02T12:00:00Z', cwd: '/home/dana/proj', targets: { paths }, rule: 'scope.outside', ...extra,
});

describe('the folder a denied request could be fixed by sharing', () => {
  it('is the folder of the file read, or the folder listed or searched', () => {
    expect(folderToShare(denied('Read', ['/home/dana/notes/todo.md']))).toBe('/home/dana/notes');
    expect(folderToShare(denied('Read', ['../docs/a.md']))).toBe('/home/dana/docs');
    expect(folderToShare(denied('Grep', ['/srv/data']))).toBe('/srv/data');
    expect(folderToShare(denied('LS', ['/srv/data/']))).toBe('/srv/data');
    expect(folderToShare(denied('Read', ['~/notes/a.md']))).toBe('~/notes');
    expect(folderToShare(denied('Write', ['/home/dana/other/x.ts']))).toBe('/home/dana/other');
  });
  it('is offered only for a policy deny for being outside the scope, of a file or search tool', () => {
    expect(folderToShare(denied('Read', ['/etc/shadow'], { rule: 'scope.forbidden:/etc/shadow' }))).toBeUndefined();
    expect(folderToShare(denied('Read', ['/x/y'], { source: 'user' }))).toBeUndefined();
    expect(folderToShare(denied('Read', ['/x/y'], { decision: 'allow' }))).toBeUndefined();
    expect(folderToShare(denied('Bash', [], { targets: { paths: [], command: 'cat /x/y' } }))).toBeUndefined();
    expect(folderToShare(denied('mcp__fs__read', ['/x/y']))).toBeUndefined();
  });
});

describe('the rule that decided, in words', () => {
  const rule = { id: 'r1', toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'npm test' }, origin: 'person', lifetime: 'always', createdAt: '', description: 'Allows the agent to run shell commands starting with “npm test” until you revoke it.', hits: 1, locked: false } as Rule;
  it('names scope denies, rules and the rest', () => {
    expect(decidingRule(denied('Read', []), [], en)).toBe('outside the shared folders');
    expect(decidingRule(denied('Read', [], { rule: 'scope.forbidden:/home/dana/.ssh' }), [], en)).toBe('a protected location no agent may reach (/home/dana/.ssh)');
    expect(decidingRule(denied('Bash', [], { decision: 'allow', source: 'rule', rule: 'rule:r1' }), [rule], en)).toBe(rule.description);
    expect(decidingRule(denied('Bash', [], { decision: 'allow', source: 'rule', rule: 'rule:gone' }), [rule], en)).toBe('a rule that has since been revoked');
    expect(decidingRule(denied('Read', [], { rule: 'something.new' }), [], en)).toBe('something.new');
    expect(decidingRule(denied('Read', [], { rule: undefined }), [], en)).toBeUndefined();
    expect(decidingRule(denied('Read', [], { rule: 'scope.outside' }), [], i18nFor('ja'))).toBe('共有フォルダーの外');
  });
});
