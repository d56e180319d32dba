// Which files an action names and how (read or write), per the tool catalogue, each read the way the
// client will read it (path-interpretation-policy.ts). Pure.
import { pathKeysOf, toolEntry, type FileAccess, type ToolKind } from '../../../shared/tool-catalogue.js';
import { bashTargets, type UserHomeLookup } from './bash-targets-policy.js';
import { readToolPath } from './path-interpretation-policy.js';

export interface FileTarget {
  /** As the client will read it (may be relative to `cwd`); not a string when the agent sent none. */
  path: unknown;
  access: FileAccess;
  cwd: string;
  /** Why this target cannot be pinned to one file (then the action is refused). */
  problem?: string;
  /** A shell word that may or may not be a file: it counts only when such a file (or a link) exists. */
  maybe?: boolean;
  /** Read, but not known to be only read (a shell argument): files that make commands run code need a
   *  person for it as for a write. */
  mayWrite?: boolean;
  /** A file a shell command creates inside a folder another word names: counts when that folder exists. */
  into?: boolean;
}

export interface TargetContext {
  cwd: string;
  home: string;
  /** The managed policy's extra path arguments per MCP server. */
  mcpPathArguments?: Record<string, string[]>;
  /** Other users' home folders (for a shell's `~name`). */
  userHome?: UserHomeLookup;
}

export interface ToolTargets {
  kind: ToolKind;
  files: FileTarget[];
  /** The action may reach files that could not be named. */
  opaque: boolean;
  opaqueReason?: string;
  /** A shell word whose value cannot be known before it runs (a variable, a substitution, `~user`):
   *  no remembered rule may match such a command. */
  unknowable?: string;
}

/** The fixed part of a glob before its first wildcard: what it can reach. */
export function globRoot(pattern: string): string {
  const wild = pattern.search(/[*?[{]/);
  const fixed = wild < 0 ? pattern : pattern.slice(0, wild);
  const slash = fixed.lastIndexOf('/');
  return slash < 0 ? '.' : fixed.slice(0, slash) || '/';
}

const FILE_URI = /^file:/i;

/** `file:` URIs in any case (`FILE://…` too) name local files. */
function fileUri(v: string): string {
  if (!FILE_URI.test(v)) return v;
  try {
    return decodeURIComponent(new URL(v).pathname);
  } catch {
    return v;
  }
}

/** One named path, read as the client will read it (one target per possible reading). */
function readings(raw: unknown, access: FileAccess, ctx: TargetContext): FileTarget[] {
  if (typeof raw !== 'string') return [{ path: raw, access, cwd: ctx.cwd }];
  const r = readToolPath(raw, ctx.home);
  if (!r.ok) return [{ path: raw, access, cwd: ctx.cwd, problem: r.problem }];
  return r.paths.map((path) => ({ path, access, cwd: ctx.cwd }));
}

const MAX_ARGUMENT_DEPTH = 16;
const MAX_ARGUMENT_STRINGS = 2000;
/** A URL of another scheme (https:, git+ssh:…) names no local file. */
const OTHER_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A string that may name a file: absolute, `~`, `./`, `../`, a `file:` URI, a drive or UNC path, or
 *  anything with a slash or backslash in it. Deliberately wide: a false hit only asks a person. */
export function looksLikePathArgument(value: string): boolean {
  const t = value.trim();
  if (t === '') return false;
  if (FILE_URI.test(t)) return true;
  if (OTHER_URL.test(t)) return false;
  return t === '.' || t === '..' || t.startsWith('~') || /^[A-Za-z]:/.test(t) || /[\\/]/.test(t);
}

export type ArgumentPaths = { ok: true; paths: string[] } | { ok: false; problem: string };

/**
 * Every string in a tool call's arguments that may name a file, at any depth (values of objects and
 * arrays, and object keys), read as the client reads a path (`file:` decoded, `~` expanded). Under a
 * path argument name (`pathKeys`) every string counts; elsewhere, those that look like paths. For a
 * remembered rule, which may only answer when every one of them lies inside the scope. Relative ones
 * are given as written (the caller resolves them against the call's folder) — except those with a `..`
 * component: an MCP server resolves a relative path against its own working folder, which the
 * companion cannot see, and `..` climbs out of it. Too deep or too many strings, `~user`: not ok.
 */
export function pathLikeArguments(input: unknown, pathKeys: readonly string[], home: string): ArgumentPaths {
  const found: string[] = [];
  let strings = 0;
  let problem: string | undefined;
  const take = (value: string, underPathKey: boolean): void => {
    if (++strings > MAX_ARGUMENT_STRINGS) problem ??= `the arguments hold more than ${MAX_ARGUMENT_STRINGS} strings`;
    if (problem || !(underPathKey ? value.trim() !== '' : looksLikePathArgument(value))) return;
    const text = fileUri(value.trim());
    const r = readToolPath(text, home);
    if (!r.ok) {
      problem = r.problem;
      return;
    }
    for (const path of r.paths) {
      const absolute = path.startsWith('/') || /^([A-Za-z]:[\\/]|\\\\)/.test(path);
      if (!absolute && path.split(/[\\/]/).includes('..')) {
        problem = `"${path}" is relative and climbs with "..": the tool resolves it from a folder Cowork Companion cannot see`;
        return;
      }
      found.push(path);
    }
  };
  const walk = (value: unknown, depth: number, underPathKey: boolean): void => {
    if (problem) return;
    if (typeof value === 'string') return take(value, underPathKey);
    if (value === null || typeof value !== 'object') return;
    if (depth > MAX_ARGUMENT_DEPTH) {
      problem = `the arguments are nested more than ${MAX_ARGUMENT_DEPTH} levels deep`;
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1, underPathKey);
      return;
    }
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      take(key, false);
      walk(item, depth + 1, pathKeys.includes(key));
    }
  };
  walk(input, 0, false);
  return problem ? { ok: false, problem } : { ok: true, paths: found };
}

export function toolTargets(toolName: string, input: Record<string, unknown>, ctx: TargetContext): ToolTargets {
  const { cwd } = ctx;
  const entry = toolEntry(toolName);
  switch (entry.kind) {
    case 'file': {
      const named = entry.pathKeys.filter((k) => k in input);
      const files = named.flatMap((k) => readings(input[k], entry.access!, ctx));
      return { kind: 'file', files: files.length ? files : [{ path: undefined, access: entry.access!, cwd }], opaque: false };
    }
    case 'search': {
      const given = input['path'];
      const bases = typeof given === 'string' && given !== '' ? readings(given, 'read', ctx) : [{ path: cwd, access: 'read' as const, cwd }];
      const files: FileTarget[] = [...bases];
      for (const key of ['pattern', 'glob']) {
        const pattern = input[key];
        // Grep's `pattern` is a regex, not a path; only Glob patterns and Grep's `glob` name files.
        if (typeof pattern !== 'string' || (toolName === 'Grep' && key === 'pattern')) continue;
        const root = globRoot(pattern.trim());
        if (root === '.') continue;
        for (const r of readings(root, 'read', ctx)) {
          if (r.problem || typeof r.path !== 'string' || r.path.startsWith('/')) files.push(r);
          else for (const base of bases) if (typeof base.path === 'string') files.push({ ...r, path: `${base.path}/${r.path}` });
        }
      }
      return { kind: 'search', files, opaque: false };
    }
    case 'shell': {
      const command = typeof input['command'] === 'string' ? input['command'] : '';
      const b = bashTargets(command, { cwd, home: ctx.home, ...(ctx.userHome ? { userHome: ctx.userHome } : {}) });
      return { kind: 'shell', files: b.targets, opaque: b.opaque || command === '', opaqueReason: b.opaqueReason, ...(b.unknowable ? { unknowable: b.unknowable } : {}) };
    }
    case 'web':
      return { kind: 'web', files: [], opaque: false };
    case 'mcp': {
      const files: FileTarget[] = [];
      for (const key of pathKeysOf(toolName, ctx.mcpPathArguments)) {
        const v = input[key];
        const values = Array.isArray(v) ? v : [v];
        for (const item of values) {
          if (typeof item !== 'string') continue;
          const text = item.trim();
          if (key === 'uri' && !FILE_URI.test(text)) continue;
          if (!text.startsWith('/') && !FILE_URI.test(text) && !text.startsWith('~')) continue;
          files.push(...readings(fileUri(text), 'write', ctx));
        }
      }
      return { kind: 'mcp', files, opaque: false };
    }
    case 'unknown':
      return { kind: 'unknown', files: [], opaque: true, opaqueReason: `"${toolName}" is not a tool Cowork Companion knows` };
  }
}
