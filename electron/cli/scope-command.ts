// `cowork-companion scope list|add|remove`: the same shared folders as the app, from a script,
// whether or not the app is running (it picks up the change within seconds).
import { ScopeModeSchema, type ScopeView } from '../../shared/scope-contract.js';
import { openCoreServices } from '../core/app/index.js';
import { CoreError, ensureDataDir, systemClock } from '../core/base/index.js';

export interface ScopeCommandOptions {
  dataDir: string;
  policyFile?: string;
  json: boolean;
  mode?: string;
  label?: string;
  expires?: string;
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
        const mode = ScopeModeSchema.safeParse(o.mode ?? 'read');
        if (!mode.success) throw new ScopeCommandError(`--mode must be "read" or "read-write" (got "${o.mode}")`);
        const folder = await scope.add({ path, mode: mode.data, label: o.label, expiresAt: o.expires });
        print({ ok: true, folder }, `Shared ${folder.path} (${folder.mode}).\n`);
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
