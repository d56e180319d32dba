import { describe, expect, it } from 'vitest';
import type { Rule, RuleShape } from '../../shared/ui-contract.js';
import { parseMcpToolName } from '../../shared/tool-catalogue.js';
import { cleanDraft, describeMatch, describeRule, draftProblem, pathGlob, ruleMatchesQuery, ruleSentence, switchKind, withKind } from './describe-rule.js';
import { i18nFor } from './i18n/translator.js';

const en = i18nFor('en');
const ja = i18nFor('ja');
const id = i18nFor('id');
const write: RuleShape = { toolName: 'Write', match: { kind: 'path-prefix', path: '/home/dana/proj' }, folder: '/home/dana/proj' };
const rule = (draft: RuleShape, extra: Partial<Rule> = {}): Rule => ({
  effect: 'allow',
  ...draft,
  id: 'r1',
  origin: 'person',
  lifetime: 'always',
  createdAt: '2026-11-25T10:00:00.000Z',
  description: 'Allows the agent to do what the core says.',
  hits: 0,
  locked: false,
  ...extra,
});

describe('describeRule: one sentence of what a grant grants', () => {
  it('in English, like the core says it', () => {
    expect(describeRule(write, 'run', en)).toBe(
      'Allows the agent to change files in /home/dana/proj/** (Write) while working in /home/dana/proj until this run ends.',
    );
    expect(describeRule({ toolName: 'Read', match: { kind: 'path-prefix', path: '/srv/docs/' } }, 'always', en)).toBe(
      'Allows the agent to read files in /srv/docs/** until you revoke it.',
    );
    expect(describeRule({ toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'npm run' } }, 'run', en)).toBe(
      'Allows the agent to run shell commands starting with “npm run” until this run ends.',
    );
    expect(describeRule({ toolName: 'WebFetch', match: { kind: 'domain', domain: 'stripe.com' } }, 'always', en)).toBe(
      'Allows the agent to fetch pages from stripe.com and its subdomains until you revoke it.',
    );
    expect(describeRule({ toolName: 'mcp__jira__create_issue', match: { kind: 'any' } }, 'always', en)).toBe(
      'Allows the agent to call “create_issue” on the jira MCP server until you revoke it.',
    );
    expect(describeRule({ toolName: 'WebSearch', match: { kind: 'any' } }, 'run', en)).toBe('Allows the agent to use WebSearch until this run ends.');
  });

  it('in Japanese and Indonesian', () => {
    expect(describeRule(write, 'run', ja)).toBe(
      '/home/dana/proj で作業しているときに限り、エージェントに/home/dana/proj/** にあるファイルの変更（Write）を許可します（このセッションが終わるまで）。',
    );
    expect(describeRule({ toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'git status' } }, 'always', id)).toBe(
      'Mengizinkan agen menjalankan perintah shell yang diawali “git status” sampai Anda mencabutnya.',
    );
  });

  it('shows hidden characters in agent-made parts as markers', () => {
    expect(describeRule({ toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'ls\u202E' } }, 'run', en)).toContain('“ls⟨U+202E⟩”');
  });

  it('uses the core’s own sentence in English and ours in the other languages', () => {
    const saved = rule(write);
    expect(ruleSentence(saved, en)).toBe('Allows the agent to do what the core says.');
    expect(ruleSentence(saved, ja)).toBe(describeRule(write, 'always', ja));
  });
});

describe('rule helpers', () => {
  it('pathGlob, parseMcpToolName, describeMatch', () => {
    expect(pathGlob('/a/b')).toBe('/a/b/**');
    expect(pathGlob('/a/b//')).toBe('/a/b/**');
    expect(pathGlob('C:\\work\\proj')).toBe('C:\\work\\proj\\**');
    expect(parseMcpToolName('mcp__github__create_pull_request')).toEqual({ server: 'github', tool: 'create_pull_request' });
    expect(parseMcpToolName('Bash')).toBeUndefined();
    expect(describeMatch({ kind: 'command-prefix', prefix: 'npm test' }, en)).toBe('Commands starting with “npm test”');
    expect(describeMatch({ kind: 'domain', domain: 'example.com' }, ja)).toBe('example.com とそのサブドメイン');
    expect(describeMatch({ kind: 'any' }, id)).toBe('Semua penggunaan alat ini');
  });

  it('searches every word over tool, match, folder and sentence', () => {
    const r = rule({ toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'npm run' }, folder: '/w/payments' });
    expect(ruleMatchesQuery(r, '', en)).toBe(true);
    expect(ruleMatchesQuery(r, 'BASH payments', en)).toBe(true);
    expect(ruleMatchesQuery(r, 'npm', en)).toBe(true);
    expect(ruleMatchesQuery(r, 'npm stripe', en)).toBe(false);
    expect(ruleMatchesQuery(r, 'シェルコマンド', ja)).toBe(true);
  });

  it('says what a draft still needs, and cleans it before it is sent', () => {
    expect(draftProblem({ toolName: 'Bash', match: { kind: 'command-prefix', prefix: '  ' } })).toBe('command-prefix');
    expect(draftProblem({ toolName: 'Bash', match: { kind: 'any' } })).toBeUndefined();
    expect(draftProblem({ toolName: ' ', match: { kind: 'any' } })).toBe('tool');
    expect(cleanDraft({ toolName: ' Bash ', match: { kind: 'command-prefix', prefix: ' git status ' }, folder: '  ' })).toEqual({
      toolName: 'Bash',
      match: { kind: 'command-prefix', prefix: 'git status' },
    });
    expect(withKind('domain', 'x.org')).toEqual({ kind: 'domain', domain: 'x.org' });
    expect(withKind('any', 'x.org')).toEqual({ kind: 'any' });
  });
});

describe('switching the kind of match in the editor', () => {
  it('brings back the proposed value after a trip through "any"', () => {
    const toAny = switchKind(write, 'any', {});
    expect(toAny.draft.match).toEqual({ kind: 'any' });
    const back = switchKind(toAny.draft, 'path-prefix', toAny.values);
    expect(back.draft).toEqual(write);
  });
  it('keeps what was typed for each kind apart', () => {
    const fetch: RuleShape = { toolName: 'WebFetch', match: { kind: 'domain', domain: 'docs.stripe.com' } };
    const edited: RuleShape = { ...fetch, match: { kind: 'domain', domain: 'stripe.com' } };
    const away = switchKind(edited, 'any', { domain: 'docs.stripe.com' });
    expect(switchKind(away.draft, 'domain', away.values).draft.match).toEqual({ kind: 'domain', domain: 'stripe.com' });
  });
});
