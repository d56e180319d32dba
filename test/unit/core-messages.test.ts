// The core's sentences as data (shared/core-messages.ts): what the core says is read back into the
// same key and parameters, agent-supplied text stays a parameter, and the window translates the key
// (renderer/src/i18n/core-text.ts) or shows the core's English when it does not know the sentence.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import { CORE_MESSAGES, coreText, readCoreMessage, type CoreMessageKey } from '../../shared/core-messages.js';
import { canonicalizerFor, volumeRulesFor } from '../../electron/core/paths/index.js';
import { evaluateScope, type ScopeState } from '../../electron/core/scope/index.js';
import { translateCoreText } from '../../renderer/src/i18n/core-text.js';
import { i18nFor } from '../../renderer/src/i18n/translator.js';
import { resolved } from '../support/resolve.js';

let root: string;
let P: string;
let R: string;
const canonicalize = canonicalizerFor('linux');
beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'cc-messages-')));
  P = join(root, 'proj');
  R = join(root, 'docs');
  mkdirSync(P);
  mkdirSync(R);
  writeFileSync(join(root, 'secret.txt'), 's');
});
const state = (): ScopeState => ({
  folders: [{ path: P, mode: 'read-write' }, { path: R, mode: 'read' }],
  forbidden: [{ path: join(root, 'vault'), reason: 'the companion\'s own data' }],
  outOfScope: 'deny', mcpPathArguments: {}, home: root, volume: volumeRulesFor('linux'),
});
const scopeReason = (tool_name: string, tool_input: Record<string, unknown>): string => {
  const outcome = evaluateScope(resolved<ToolPayload>({ session_id: 's', cwd: P, hook_event_name: 'PreToolUse', tool_name, tool_input, tool_use_id: 't' }, { home: root }), state(), canonicalize);
  return (outcome as { reason: string }).reason;
};

describe('core messages', () => {
  it('every sentence is read back into its own key and parameters', () => {
    for (const key of Object.keys(CORE_MESSAGES) as CoreMessageKey[]) {
      const names = [...CORE_MESSAGES[key].matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const params = Object.fromEntries(names.map((n, i) => [n, `/home/dana/${n}-${i}/a b.ts`]));
      expect(readCoreMessage(coreText(key, params)), key).toEqual({ key, params });
      expect(readCoreMessage(coreText(key, params, 'blocked')), key).toEqual({ key, params, lead: 'blocked' });
    }
  });

  it('reads what the scope policy actually says, with the agent\'s path as a parameter only', () => {
    const outside = scopeReason('Read', { file_path: `${root}/secret.txt` });
    expect(readCoreMessage(outside)).toEqual({ key: 'scope.outside', lead: 'blocked', params: { path: `${root}/secret.txt`, share: root } });
    const readOnly = scopeReason('Write', { file_path: `${R}/x.md`, content: 'x' });
    expect(readCoreMessage(readOnly)).toEqual({ key: 'scope.readOnly', params: { path: `${R}/x.md`, folder: R } });
    const forbidden = scopeReason('Read', { file_path: `${root}/vault/key` });
    expect(readCoreMessage(forbidden)).toMatchObject({ key: 'scope.forbidden', lead: 'blocked', params: { path: `${root}/vault/key` } });
    expect(readCoreMessage(scopeReason('WebFetch', { url: 'https://example.com' }))).toEqual({ key: 'scope.web', params: {} });
  });

  it('anything else is no core sentence: a person\'s words, an unknown or changed sentence', () => {
    expect(readCoreMessage('please ask me first')).toBeUndefined();
    expect(readCoreMessage(`${coreText('decision.denied')} And more.`)).toBeUndefined();
    expect(readCoreMessage('Blocked by Cowork Companion: something new.')).toBeUndefined();
  });

  it('the window translates a known sentence, keeps parameters as they are, and shows the English otherwise', () => {
    const path = '/p/\u202Eevil.ts';
    const text = coreText('scope.readOnly', { path, folder: '/p' });
    expect(translateCoreText(text, i18nFor('en'))).toBe(text);
    expect(translateCoreText(text, i18nFor('ja'))).toBe(`${path} は読み取り専用で共有されている /p の中にあります。`);
    expect(translateCoreText(text, i18nFor('id'))).toBe(`${path} ada di /p, yang dibagikan hanya-baca.`);
    const blocked = coreText('scope.outside', { path: '/x', share: '/' }, 'blocked');
    expect(translateCoreText(blocked, i18nFor('id'))).toMatch(/^Diblokir oleh Cowork Companion: \/x berada di luar folder bersama/);
    const person = coreText('decision.deniedWithReason', { reason: 'not on Fridays' });
    expect(translateCoreText(person, i18nFor('ja'))).toBe('Cowork Companion で拒否されました: not on Fridays');
    expect(translateCoreText('Something the core said before it had keys.', i18nFor('ja'))).toBe('Something the core said before it had keys.');
    expect(translateCoreText(coreText('sandbox.notConnected'), i18nFor('ja'))).toBe('Claude Code がサンドボックスと連携していません');
  });
});
