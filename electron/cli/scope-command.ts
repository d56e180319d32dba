// `cowork-companion scope list|add|remove`: the same shared folders as the app, from a script,
// whether or not the app is running (it picks up the change within seconds).
import { isAbsolute, resolve } from 'node:path';
import { ScopeModeSchema, type ScopeView, type SharedFolder } from '../../shared/scope-contract.js';
import { openCoreServices } from '../core/app/index.js';
import { CoreError, ensureDataDir, systemClock } from '../core/base/index.js';
import { describeBroadShare, type ShareResult } from '../core/scope/index.js';

export interface ScopeCommandOptions {
  dataDir: string;
  policyFile?: string;
  json: boolean;
  mode?: string;
  label?: string;
  expires?: string;
  /** `--yes`: share a broad folder (a disk's top, a home or system folder…) without asking. */
  yes?: boolean;
  /** What relative paths (and `.`) are resolved against (default: the current folder). */
  cwd?: string;
  out: NodeJS.WritableStream;
  env?: Record<string, string | undefined>;
}

export class ScopeCommandError extends Error {}

function describeView(view: ScopeView): string {
  const lines: string[] = [];
  if (view.policyError) lines.push(`! managed policy: ${view.policyError}`);
  if (view.folders.length === 0) lines.push('No shared folders. Add one with: cowork-companion scope add PATH --mode read|read-write');
  for (const f of view.folders) {
    const flags = [f.mode, f.locked ? `locked: ${f.lockReason}` : '', f.expiresAt ? `expires ${f.expiresAt}` : '', f.problem ? `NOT IN EFFECT: ${f.problem}` : ''].filter(Boolean);
    lines.push(`${f.path}${f.label ? `  "${f.label}"` : ''}  (${flags.join('; ')})`);
  }
  if (!view.allowUserFolders) lines.push('Your organisation does not allow adding shared folders.');
  if (view.allowedRoots) lines.push(`Sharing is allowed only inside: ${view.allowedRoots.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

const describeFolder = (f: SharedFolder): string => [f.mode, f.label ? `"${f.label}"` : '', f.expiresAt ? `until ${f.expiresAt}` : 'until removed'].filter(Boolean).join(', ');

function describeShare({ folder, outcome, changed, previous }: ShareResult): string {
  if (outcome === 'added') return `Shared ${folder.path} (${describeFolder(folder)}).\n`;
  if (outcome === 'unchanged') return `${folder.path} is already shared (${describeFolder(folder)}); nothing changed. Give --mode, --label or --expires to change it.\n`;
  const was = (f: SharedFolder | undefined, k: (typeof changed)[number]): string => JSON.stringify(f?.[k] ?? '');
  return `${folder.path} was already shared; changed ${changed.map((k) => `${k} ${was(previous, k)} → ${was(folder, k)}`).join(', ')}.\n`;
}

/** `.`, `..` and relative paths name folders below where the command runs; `~` is left to the core. */
function folderArgument(path: string, cwd: string): string {
  return path.startsWith('~') || isAbsolute(path) ? path : resolve(cwd, path);
}

export async function runScopeCommand(action: string | undefined, path: string | undefined, o: ScopeCommandOptions): Promise<number> {
  const services = openCoreServices({ dataDir: ensureDataDir(o.dataDir), clock: systemClock, env: o.env ?? process.env, policyFile: o.policyFile, ship: false });
  const { scope } = services;
  const print = (value: unknown, text: string): void => void o.out.write(o.json ? `${JSON.stringify(value)}\n` : text);
  try {
    switch (action) {
      case 'list':
        print(scope.view(), describeView(scope.view()));
        return 0;
      case 'add': {
        if (!path) throw new ScopeCommandError('scope add needs a PATH');
        const mode = o.mode === undefined ? undefined : ScopeModeSchema.safeParse(o.mode);
        if (mode && !mode.success) throw new ScopeCommandError(`--mode must be "read" or "read-write" (got "${o.mode}")`);
        const folderPath = folderArgument(path, o.cwd ?? process.cwd());
        const preview = scope.preview(folderPath);
        let result: ShareResult;
        try {
          result = await scope.add({ path: folderPath, mode: mode?.data, label: o.label, expiresAt: o.expires, confirmBroad: o.yes === true });
        } catch (error) {
          if (error instanceof CoreError && error.code === 'scope_confirm_broad') throw new CoreError(error.code, `${error.message} Add --yes to share it anyway; nothing was changed.`);
          throw error;
        }
        const broad = preview.ok && preview.broad && result.outcome !== 'unchanged' ? preview.broad : undefined;
        print({ ok: true, ...result, ...(broad ? { broad } : {}) }, `${broad ? `Note: ${describeBroadShare(result.folder.path, broad, result.folder.mode)}\n` : ''}${describeShare(result)}`);
        return 0;
      }
      case 'remove':
        if (!path) throw new ScopeCommandError('scope remove needs a PATH');
        await scope.remove(path);
        print({ ok: true, removed: path }, `No longer shared: ${path}\n`);
        return 0;
      default:
        throw new ScopeCommandError(`unknown scope action "${action ?? ''}" (use list, add or remove)`);
    }
  } catch (error) {
    if (error instanceof CoreError) {
      print({ ok: false, error: { code: error.code, message: error.message } }, '');
      throw new ScopeCommandError(error.message);
    }
    throw error;
  } finally {
    // The change is in the journal; the running companion delivers it (or will, when it starts).
    await services.close(0);
  }
}
