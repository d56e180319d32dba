// The layering rules in eslint.config.js, run through ESLint's API on small in-memory files, so a
// config change cannot silently switch them off.
import { ESLint } from 'eslint';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;
let CAPABILITIES: string[];
beforeAll(async () => {
  eslint = new ESLint({ cwd });
  // The same list the lint rule is built from (a plain JS module: loaded by path, untyped).
  ({ CAPABILITIES } = (await import(`${cwd}/eslint.config.js`)) as { CAPABILITIES: string[] });
});

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  expect(result?.messages.filter((m) => m.fatal)).toEqual([]);
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

const violations: [string, string][] = [
  ['shared/x.ts', "import { readFileSync } from 'node:fs';"],
  ['shared/x.ts', "import { join } from 'path';"],
  ['shared/x.ts', "import { EventEmitter } from 'events';"],
  ['shared/x.ts', "import type { App } from 'electron';"],
  ['shared/x.ts', "import { x } from '../electron/core/companion-core.js';"],
  ['shared/x.ts', "export { y } from '../renderer/src/format-time.js';"],
  ['electron/core/x.ts', "import { app } from 'electron';"],
  ['electron/core/x.ts', "import type { BrowserWindow } from 'electron';"],
  ['electron/core/x.ts', "import Store from 'electron-store';"],
  ['electron/core/x.ts', "const e = await import('electron');"],
  ['electron/core/x.ts', "const e = require('electron');"],
  ['electron/core/x.ts', "import { f } from '../main/window-options.js';"],
  ['electron/core/x.ts', "import { f } from '../preload/companion-bridge.js';"],
  ['electron/core/x.ts', "import { f } from '../../renderer/src/format-time.js';"],
  ['electron/core/sub/x.ts', "import { f } from '../../main/main.js';"],
  ['electron/cli/x.ts', "import { app } from 'electron';"],
  ['electron/cli/x.ts', "import { f } from '../main/main.js';"],
  ['renderer/src/x.ts', "import { readFile } from 'node:fs/promises';"],
  ['renderer/src/x.ts', "import os from 'os';"],
  ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';"],
  ['renderer/src/bridge/x.ts', "import { x } from '../../../electron/core/companion-core.js';"],
  ['renderer/src/x.tsx', 'export const A = (p: { html: string }) => <div dangerouslySetInnerHTML={{ __html: p.html }} />;'],
  ['renderer/src/x.ts', 'export function f(el: HTMLElement, s: string) { el.innerHTML = s; }'],
  ['renderer/src/x.ts', "export function f(el: HTMLElement, s: string) { el.insertAdjacentHTML('beforeend', s); }"],
  ['electron/main/window-options.ts', "import { app } from 'electron';"],
  // Capabilities are entered through their index.ts only.
  ['electron/core/app/x.ts', "import { ScopeService } from '../scope/scope-service.js';"],
  ['electron/core/watch/x.ts', "import type { ScopeState } from '../scope/scope-policy.js';"],
  ['electron/core/approvals/x.ts', "export { canonicalizerFor } from '../paths/canonical-path.js';"],
  ['electron/cli/x.ts', "import { openCoreServices } from '../core/app/core-services.js';"],
  ['electron/cli/x.ts', "const { createCompanionCore } = await import('../core/app/companion-core.js');"],
  ['electron/main/main.ts', "import { createCompanionCore } from '../core/app/companion-core.js';"],
  ['electron/main/ipc-handlers.ts', "import { CoreError } from '../core/base/core-error.js';"],
  ['electron/main/ipc-guard.ts', "import { f } from '../../renderer/src/format-time.js';"],
];

const allowed: [string, string][] = [
  ['shared/x.ts', "import { z } from 'zod';"],
  ['shared/x.ts', "import type { ActionTargets } from './action-targets.js';"],
  ['electron/core/x.ts', "import { readFileSync } from 'node:fs';"],
  ['electron/core/x.ts', "import { uiContract } from '../../shared/ui-contract.js';"],
  ['electron/cli/x.ts', "const { createCompanionCore } = await import('../core/app/index.js');"],
  ['electron/core/scope/x.ts', "import { CoreError } from '../base/index.js';"],
  ['electron/core/scope/x.ts', "import { findForbidden } from './scope-policy.js';"],
  ['electron/main/main.ts', "import { createCompanionCore } from '../core/app/index.js';"],
  ['electron/main/main.ts', "import { app } from 'electron';"],
  ['electron/main/main.ts', "import Store from 'electron-store';"],
  ['electron/main/window-options.ts', "import type { BrowserWindowConstructorOptions } from 'electron';"],
  ['electron/preload/preload.ts', "import { contextBridge } from 'electron';"],
  ['renderer/src/x.ts', "import type { CompanionBridge } from '../../shared/ui-contract.js';"],
  ['renderer/src/x.tsx', 'export const A = (p: { text: string }) => <div title={p.text}>{p.text}</div>;'],
  ['test/unit/x.test.ts', "import { app } from 'electron'; import { readFileSync } from 'node:fs';"],
  ['renderer/src/x.test.ts', "import { readFileSync } from 'node:fs';"],
];

describe('layering lint rules', () => {
  it.each(violations)('%s: reports %s', async (filePath, code) => {
    expect(await layeringErrors(filePath, `${code}\nexport {};\n`)).not.toEqual([]);
  });

  it.each(allowed)('%s: allows %s', async (filePath, code) => {
    expect(await layeringErrors(filePath, `${code}\nexport {};\n`)).toEqual([]);
  });

  it('knows every capability folder of the core, and each has an index.ts (nothing lives at the root)', () => {
    const core = fileURLToPath(new URL('../../electron/core', import.meta.url));
    const entries = readdirSync(core, { withFileTypes: true });
    expect(entries.filter((e) => !e.isDirectory()).map((e) => e.name)).toEqual([]);
    expect(entries.map((e) => e.name).sort()).toEqual([...CAPABILITIES].sort());
    for (const name of CAPABILITIES) expect(existsSync(`${core}/${name}/index.ts`), name).toBe(true);
  });

  it('explains the rule in the message', async () => {
    const [message] = await layeringErrors('electron/core/x.ts', "import { app } from 'electron';\nexport {};\n");
    expect(message).toMatch(/plain Node/);
  });
});
