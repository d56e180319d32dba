// What a person can do about a request that was denied without them, and the rule that denied it in
// words. Only fixes the core can carry out through the bridge: sharing the folder (read-only, filled
// in on the Shared folders form for the person to confirm). A protected location, a path that could
// not be checked or a sandbox limit has no one-click fix. Pure.
import { toolEntry } from '../../shared/tool-catalogue.js';
import type { DecisionRecord, Rule } from '../../shared/ui-contract.js';
import type { I18n } from './i18n/translator.js';
import { ruleSentence } from './describe-rule.js';

const separatorOf = (p: string): string => (p.includes('\\') && !p.includes('/') ? '\\' : '/');

/** `base` joined with a relative `path`, `.` and `..` resolved; absolute paths are kept as written. */
function joinPath(base: string, path: string): string {
  const sep = separatorOf(base);
  // `~` is left for the form to expand, as Claude Code does.
  const absolute = path.startsWith('/') || path.startsWith('~') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
  const parts = (absolute ? path : `${base}${sep}${path}`).split(/[\\/]+/);
  const out: string[] = [];
  for (const part of parts) {
    if (part === '.' || (part === '' && out.length > 0)) continue;
    if (part === '..') {
      if (out.length > 1) out.pop();
      continue;
    }
    out.push(part);
  }
  return out.length === 1 && out[0] === '' ? sep : out.join(sep);
}

function parentOf(path: string): string {
  const sep = separatorOf(path);
  const at = path.lastIndexOf(sep);
  return at <= 0 ? sep : path.slice(0, at);
}

/** The folder to offer sharing for a request denied as outside the shared folders (file and search
 *  tools only: a shell command's files are not known here). */
export function folderToShare(record: DecisionRecord): string | undefined {
  if (record.decision !== 'deny' || record.source !== 'policy' || record.rule !== 'scope.outside') return undefined;
  const kind = toolEntry(record.toolName).kind;
  const path = record.targets?.paths[0];
  if ((kind !== 'file' && kind !== 'search') || path === undefined || record.cwd === undefined) return undefined;
  const full = joinPath(record.cwd, path);
  // A file tool names a file (share its folder); LS and searches name the folder itself.
  return kind === 'search' || record.toolName === 'LS' ? full : parentOf(full);
}

/** The rule that decided, in words ("Outside the shared folders"), or undefined when there is none. */
export function decidingRule(record: DecisionRecord, rules: readonly Rule[], i18n: I18n): string | undefined {
  const rule = record.rule;
  if (rule === undefined) return undefined;
  const [head = '', ...rest] = rule.split(':');
  const detail = rest.join(':');
  switch (head) {
    case 'scope.outside':
      return i18n.t('recent.why.outside');
    case 'scope.forbidden':
      return i18n.t('recent.why.forbidden', { path: detail });
    case 'scope.uncertain-path':
    case 'scope.check-error':
    case 'scope.process-view':
      return i18n.t('recent.why.unchecked');
    case 'scope.hard-link':
      return i18n.t('recent.why.hardLink');
    case 'scope.shared-folder':
      return i18n.t('recent.why.sharedFolder', { folders: detail.split(',').map((f) => f.slice(f.indexOf(':') + 1)).join(', ') });
    case 'sandbox.bash':
      return i18n.t('recent.why.sandbox');
    case 'sandbox.cwd-outside':
      return i18n.t('recent.why.sandboxCwd');
    case 'storm.pause':
      return i18n.t('recent.why.storm');
    case 'rule': {
      const saved = rules.find((r) => r.id === detail);
      return saved ? ruleSentence(saved, i18n) : i18n.t('recent.why.revokedRule');
    }
    default:
      return i18n.t('recent.why.other', { rule });
  }
}
