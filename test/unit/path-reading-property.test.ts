// Property: whatever spaces or `~` forms an agent wraps a path in, the companion checks the file
// Claude Code will act on (a model of its reading: JavaScript trim, then `~`/`~/` expanded), and a
// file outside the shared folder is never allowed, through any tool that names paths.
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import { canonicalizerFor, volumeRulesFor } from '../../electron/core/paths/index.js';
import { resolveRequest } from '../../electron/core/requests/index.js';
import { readToolPath } from '../../electron/core/requests/path-interpretation-policy.js';
import { evaluateScope, type ScopeState } from '../../electron/core/scope/index.js';

/** Claude Code's reading of a path argument, as a model: trim, then expand `~` and `~/`. */
function clientReads(raw: string, home: string): string | 'ambiguous' {
  const t = raw.trim();
  if (t === '~' || t.startsWith('~/')) return home + t.slice(1);
  if (t.startsWith('~')) return 'ambiguous';
  return t;
}

const SPACES = [' ', '\t', '\n', '\u00a0', '\ufeff', '\u2003', '\u2028', '\u3000', '\u205f'];
const space = fc.constantFrom(...SPACES);
const pad = fc.array(space, { maxLength: 3 }).map((a) => a.join(''));

describe('path reading (property)', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'cc-prop-')));
  const home = join(root, 'home');
  const project = join(home, 'proj');
  mkdirSync(project, { recursive: true });
  const canonicalize = canonicalizerFor('linux');
  const state: ScopeState = { folders: [{ path: project, mode: 'read-write' }], forbidden: [], outOfScope: 'deny', mcpPathArguments: {}, home, volume: volumeRulesFor('linux') };
  const name = fc.constantFrom('a.txt', '.bashrc', 'x', 'notes.md');
  // Where the client would act: in the project (allowed) or somewhere else (never allowed).
  const spelled = fc.oneof(
    name.map((n) => ({ raw: `~/${n}`, inside: false })),
    name.map((n) => ({ raw: `~/proj/${n}`, inside: true })),
    name.map((n) => ({ raw: join(project, n), inside: true })),
    name.map((n) => ({ raw: join(root, 'elsewhere', n), inside: false })),
    name.map((n) => ({ raw: `~root/${n}`, inside: false })),
    name.map((n) => ({ raw: `~+/${n}`, inside: false })),
  );

  it('every reading the companion checks includes the client\'s, or the path is refused as ambiguous', () => {
    fc.assert(
      fc.property(pad, spelled, pad, (before, p, after) => {
        const raw = `${before}${p.raw}${after}`;
        const model = clientReads(raw, home);
        const r = readToolPath(raw, home);
        if (model === 'ambiguous') expect(r.ok).toBe(false);
        else expect(r.ok && r.paths.includes(model)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a file tool or search naming a place outside the shared folder is never allowed', () => {
    const tool = fc.constantFrom('Read', 'Write', 'Edit', 'Grep', 'Glob', 'LS', 'mcp__fs__write');
    fc.assert(
      fc.property(tool, pad, spelled, pad, (toolName, before, p, after) => {
        const raw = `${before}${p.raw}${after}`;
        const key = toolName === 'Grep' || toolName === 'Glob' || toolName === 'LS' ? 'path' : 'file_path';
        const input = toolName === 'Grep' ? { pattern: 'x', path: raw } : toolName === 'Glob' ? { pattern: '*', path: raw } : { [key]: raw, content: '' };
        const payload = { session_id: 's', cwd: project, hook_event_name: 'PreToolUse', tool_name: toolName, tool_input: input, tool_use_id: 't' } as ToolPayload;
        const outcome = evaluateScope(resolveRequest(payload, { canonicalize, home, mcpPathArguments: {} }), state, canonicalize);
        const allowed = outcome.kind === 'decide' && outcome.verdict === 'allow';
        if (!p.inside) expect(allowed, JSON.stringify({ toolName, raw })).toBe(false);
      }),
      { numRuns: 1500 },
    );
  });
});
