// Which files an action names and how (read or write), per tool. Pure.
import { parseMcpToolName } from '../../../shared/action-targets.js';
import { bashTargets } from './bash-targets-policy.js';

export type ToolKind = 'file' | 'shell' | 'web' | 'mcp' | 'unknown';

export interface FileTarget {
  /** As named by the agent (may be relative to `cwd`). */
  path: unknown;
  access: 'read' | 'write';
  cwd: string;
}

export interface ToolTargets {
  kind: ToolKind;
  files: FileTarget[];
  /** The action may reach files that could not be named. */
  opaque: boolean;
  opaqueReason?: string;
}

const READ_TOOLS: Record<string, string[]> = { Read: ['file_path'], LS: ['path'], NotebookRead: ['notebook_path'] };
const WRITE_TOOLS: Record<string, string[]> = { Write: ['file_path'], Edit: ['file_path'], MultiEdit: ['file_path'], NotebookEdit: ['notebook_path'] };
const SEARCH_TOOLS = new Set(['Glob', 'Grep']);
const WEB_TOOLS = new Set(['WebFetch', 'WebSearch']);
const MCP_PATH_KEYS = ['path', 'paths', 'file', 'file_path', 'filepath', 'filename', 'directory', 'dir', 'folder', 'uri', 'source', 'destination', 'target'];

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
  const keysOf = (keys: string[], access: 'read' | 'write'): FileTarget[] =>
    keys.filter((k) => k in input).map((k) => ({ path: input[k], access, cwd }));
  if (READ_TOOLS[toolName]) {
    const files = keysOf(READ_TOOLS[toolName], 'read');
    return { kind: 'file', files: files.length ? files : [{ path: undefined, access: 'read', cwd }], opaque: false };
  }
  if (WRITE_TOOLS[toolName]) {
    const files = keysOf(WRITE_TOOLS[toolName], 'write');
    return { kind: 'file', files: files.length ? files : [{ path: undefined, access: 'write', cwd }], opaque: false };
  }
  if (SEARCH_TOOLS.has(toolName)) {
    const base = typeof input['path'] === 'string' && input['path'] !== '' ? input['path'] : cwd;
    const files: FileTarget[] = [{ path: base, access: 'read', cwd }];
    for (const key of ['pattern', 'glob']) {
      const pattern = input[key];
      // Grep's `pattern` is a regex, not a path; only Glob patterns and Grep's `glob` name files.
      if (typeof pattern !== 'string' || (toolName === 'Grep' && key === 'pattern')) continue;
      const root = globRoot(pattern);
      if (root !== '.') files.push({ path: root.startsWith('/') ? root : `${base}/${root}`, access: 'read', cwd });
    }
    return { kind: 'file', files, opaque: false };
  }
  if (toolName === 'Bash') {
    const command = typeof input['command'] === 'string' ? input['command'] : '';
    const b = bashTargets(command, cwd, home);
    return { kind: 'shell', files: b.targets, opaque: b.opaque || command === '', opaqueReason: b.opaqueReason };
  }
  if (WEB_TOOLS.has(toolName)) return { kind: 'web', files: [], opaque: false };
  const mcp = parseMcpToolName(toolName);
  if (mcp) {
    const keys = new Set([...MCP_PATH_KEYS, ...(mcpPathArguments[mcp.server] ?? [])]);
    const files: FileTarget[] = [];
    for (const key of keys) {
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
  return { kind: 'unknown', files: [], opaque: true, opaqueReason: `"${toolName}" is not a tool Cowork Companion knows` };
}
