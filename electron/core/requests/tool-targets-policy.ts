// Which files an action names and how (read or write), per the tool catalogue. Pure.
import { pathKeysOf, toolEntry, type FileAccess, type ToolKind } from '../../../shared/tool-catalogue.js';
import { bashTargets } from './bash-targets-policy.js';

export interface FileTarget {
  /** As named by the agent (may be relative to `cwd`). */
  path: unknown;
  access: FileAccess;
  cwd: string;
}

export interface ToolTargets {
  kind: ToolKind;
  files: FileTarget[];
  /** The action may reach files that could not be named. */
  opaque: boolean;
  opaqueReason?: string;
}

/** The fixed part of a glob before its first wildcard: what it can reach. */
export function globRoot(pattern: string): string {
  const wild = pattern.search(/[*?[{]/);
  const fixed = wild < 0 ? pattern : pattern.slice(0, wild);
  const slash = fixed.lastIndexOf('/');
  return slash < 0 ? '.' : fixed.slice(0, slash) || '/';
}

function fileUri(v: string): string {
  if (!v.startsWith('file:')) return v;
  try {
    return decodeURIComponent(new URL(v).pathname);
  } catch {
    return v;
  }
}

export function toolTargets(toolName: string, input: Record<string, unknown>, cwd: string, home: string, mcpPathArguments: Record<string, string[]> = {}): ToolTargets {
  const entry = toolEntry(toolName);
  switch (entry.kind) {
    case 'file': {
      const files = entry.pathKeys.filter((k) => k in input).map((k) => ({ path: input[k], access: entry.access!, cwd }));
      return { kind: 'file', files: files.length ? files : [{ path: undefined, access: entry.access!, cwd }], opaque: false };
    }
    case 'search': {
      const base = typeof input['path'] === 'string' && input['path'] !== '' ? input['path'] : cwd;
      const files: FileTarget[] = [{ path: base, access: 'read', cwd }];
      for (const key of ['pattern', 'glob']) {
        const pattern = input[key];
        // Grep's `pattern` is a regex, not a path; only Glob patterns and Grep's `glob` name files.
        if (typeof pattern !== 'string' || (toolName === 'Grep' && key === 'pattern')) continue;
        const root = globRoot(pattern);
        if (root !== '.') files.push({ path: root.startsWith('/') ? root : `${base}/${root}`, access: 'read', cwd });
      }
      return { kind: 'search', files, opaque: false };
    }
    case 'shell': {
      const command = typeof input['command'] === 'string' ? input['command'] : '';
      const b = bashTargets(command, cwd, home);
      return { kind: 'shell', files: b.targets, opaque: b.opaque || command === '', opaqueReason: b.opaqueReason };
    }
    case 'web':
      return { kind: 'web', files: [], opaque: false };
    case 'mcp': {
      const files: FileTarget[] = [];
      for (const key of pathKeysOf(toolName, mcpPathArguments)) {
        const v = input[key];
        const values = Array.isArray(v) ? v : [v];
        for (const item of values) {
          if (typeof item !== 'string') continue;
          if (key === 'uri' && !item.startsWith('file:')) continue;
          if (!item.startsWith('/') && !item.startsWith('file:') && !item.startsWith('~')) continue;
          files.push({ path: fileUri(item.startsWith('~') ? home + item.slice(1) : item), access: 'write', cwd });
        }
      }
      return { kind: 'mcp', files, opaque: false };
    }
    case 'unknown':
      return { kind: 'unknown', files: [], opaque: true, opaqueReason: `"${toolName}" is not a tool Cowork Companion knows` };
  }
}
