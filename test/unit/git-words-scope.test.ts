// A real repository with a branch feature/x and a folder of the same name that leads outside the shared
// folder: a push of the branch names no file, while a checkout that may restore the folder still does.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import { canonicalizerFor, volumeRulesFor } from '../../electron/core/paths/index.js';
import { evaluateScope, type ScopeState } from '../../electron/core/scope/index.js';
import { resolved } from '../support/resolve.js';

let root: string;
let repo: string;
const canonicalize = canonicalizerFor('linux');
beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'cc-git-')));
  repo = join(root, 'repo');
  mkdirSync(join(root, 'outside'));
  mkdirSync(join(repo, 'feature'), { recursive: true });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README.md'), 'r');
  git('add', 'README.md');
  git('commit', '-q', '-m', 'first');
  git('branch', 'feature/x');
  // A folder named like the branch, leading out of the shared folder.
  symlinkSync(join(root, 'outside'), join(repo, 'feature/x'));
  expect(execFileSync('git', ['branch', '--list', 'feature/x'], { cwd: repo }).toString()).toContain('feature/x');
});

const state = (): ScopeState => ({
  folders: [{ path: repo, mode: 'read-write' }], forbidden: [], outOfScope: 'deny', mcpPathArguments: {}, home: root, volume: volumeRulesFor('linux'),
});
const outcome = (command: string) =>
  evaluateScope(resolved<ToolPayload>({ session_id: 's', cwd: repo, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 't' }, { home: root }), state(), canonicalize);

describe('git refs next to a folder of the same name', () => {
  it('push, switch, branch, merge and log of the branch name no file: a person decides the command itself', () => {
    for (const command of ['git push origin feature/x', 'git push -u origin feature/x:feature/x', 'git switch feature/x', 'git branch -D feature/x', 'git merge feature/x', 'git rebase feature/x', 'git tag v1 feature/x']) {
      expect(outcome(command), command).toMatchObject({ kind: 'ask', shell: true });
    }
  });
  it('fail closed: a checkout that may restore the folder, or names it after --, reaches outside and is denied', () => {
    for (const command of ['git checkout feature/x', 'git checkout main -- feature/x', 'git checkout -- feature/x', 'git log -- feature/x']) {
      expect(outcome(command), command).toMatchObject({ kind: 'decide', verdict: 'deny', rule: 'scope.outside' });
    }
  });
});
