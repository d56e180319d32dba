// The tools Cowork Companion knows, in one place: what kind of action each is, which input keys name
// files and how (read or write), and how an MCP tool name splits. The core's target resolution, the
// rule texts in the core and the UI, and the card's "what it names" all read this table.
// Pure: runs anywhere.
import type { ActionTargets, RuleEffect, RuleMatch } from './ui-contract.js';

export type ToolKind = 'file' | 'search' | 'shell' | 'web' | 'mcp' | 'unknown';
export type FileAccess = 'read' | 'write';

export interface ToolEntry {
  kind: ToolKind;
  /** Input keys that hold the paths the tool acts on (file tools; `path` is a search's root). */
  pathKeys: readonly string[];
  /** How a file or search tool touches what it names; shell, web and MCP tools are judged apart. */
  access?: FileAccess;
}

export const TOOL_CATALOGUE: Readonly<Record<string, ToolEntry>> = {
  Read: { kind: 'file', access: 'read', pathKeys: ['file_path'] },
  LS: { kind: 'file', access: 'read', pathKeys: ['path'] },
  NotebookRead: { kind: 'file', access: 'read', pathKeys: ['notebook_path'] },
  Write: { kind: 'file', access: 'write', pathKeys: ['file_path'] },
  Edit: { kind: 'file', access: 'write', pathKeys: ['file_path'] },
  MultiEdit: { kind: 'file', access: 'write', pathKeys: ['file_path'] },
  NotebookEdit: { kind: 'file', access: 'write', pathKeys: ['notebook_path'] },
  Glob: { kind: 'search', access: 'read', pathKeys: ['path'] },
  Grep: { kind: 'search', access: 'read', pathKeys: ['path'] },
  Bash: { kind: 'shell', pathKeys: [] },
  WebFetch: { kind: 'web', pathKeys: [] },
  WebSearch: { kind: 'web', pathKeys: [] },
};

/** Argument names that usually hold paths in MCP tools (the managed policy can add more per server). */
export const MCP_PATH_KEYS: readonly string[] = [
  'path', 'paths', 'file', 'file_path', 'filepath', 'filename', 'directory', 'dir', 'folder', 'uri', 'source', 'destination', 'target',
];

/** `mcp__<server>__<tool>`; server names may not contain `__`, tool names may. */
export function parseMcpToolName(toolName: string): { server: string; tool: string } | undefined {
  const m = /^mcp__([^_](?:[^_]|_(?!_))*)__(.+)$/.exec(toolName);
  return m ? { server: m[1]!, tool: m[2]! } : undefined;
}

export function toolEntry(toolName: string): ToolEntry {
  const known = Object.hasOwn(TOOL_CATALOGUE, toolName) ? TOOL_CATALOGUE[toolName] : undefined;
  if (known) return known;
  return parseMcpToolName(toolName) ? { kind: 'mcp', pathKeys: MCP_PATH_KEYS } : { kind: 'unknown', pathKeys: [] };
}

/** Tools that only read (reads and searches): eligible for bulk decisions, described as "read files". */
export function isReadOnlyTool(toolName: string): boolean {
  return toolEntry(toolName).access === 'read';
}

/** The kinds of rule match the editor offers for this tool, the fitting one first. Bash gets no
 *  "any": such a rule would let chained commands through, which a prefix rule never does. WebSearch
 *  has no URL, so a domain cannot match it. */
export function matchKindsFor(toolName: string): RuleMatch['kind'][] {
  switch (toolEntry(toolName).kind) {
    case 'file':
    case 'search':
      return ['path-prefix', 'any'];
    case 'shell':
      return ['command-prefix'];
    case 'web':
      return toolName === 'WebFetch' ? ['domain', 'any'] : ['any'];
    default:
      return ['any'];
  }
}

/** The kinds of rule match the core takes for this tool: what the editor offers (matchKindsFor), and a
 *  path prefix for Bash, MCP and unknown tools too — rules of that kind were made before the editor
 *  narrowed its offer, and IT's policy may set them; matching keeps them to what the call names, with
 *  a command rule's limits for Bash (rule-matching-policy.ts). Never "any" for Bash; never a kind that
 *  cannot match the tool (matchMiss). */
export function acceptedMatchKinds(toolName: string): RuleMatch['kind'][] {
  const offered = matchKindsFor(toolName);
  return offered.includes('path-prefix') || matchMiss(toolName, 'path-prefix', 'allow') ? offered : [...offered, 'path-prefix'];
}

/** What a built-in tool lacks for a kind of match: the call input the matcher reads for it. */
export type MatchMiss = 'no-command' | 'no-url' | 'no-path';

/**
 * Why a rule for `toolName` matching by `kind` can never cover one of its calls, or undefined when it
 * can. The matcher (rule-matching-policy.ts) reads a command prefix from the call's `command`, a
 * domain from its `url` (and, for a deny or ask rule on WebSearch, from its `allowed_domains`), a path
 * from the files the call names: a built-in tool whose input never holds that is never covered. MCP
 * and unknown tools may take any argument (a `url`, a `command`), so every kind may apply to them.
 */
export function matchMiss(toolName: string, kind: RuleMatch['kind'], effect: RuleEffect): MatchMiss | undefined {
  const tool = toolEntry(toolName).kind;
  switch (kind) {
    case 'any':
      return undefined;
    case 'command-prefix':
      return tool === 'file' || tool === 'search' || tool === 'web' ? 'no-command' : undefined;
    case 'domain':
      if (tool === 'file' || tool === 'search' || tool === 'shell') return 'no-url';
      return toolName === 'WebSearch' && effect === 'allow' ? 'no-url' : undefined;
    case 'path-prefix':
      return tool === 'web' ? 'no-path' : undefined;
  }
}

/** The input keys that may name paths for `toolName`, with the policy's extra MCP arguments. */
export function pathKeysOf(toolName: string, mcpPathArguments: Readonly<Record<string, readonly string[]>> = {}): string[] {
  const entry = toolEntry(toolName);
  if (entry.kind === 'unknown') return [...MCP_PATH_KEYS];
  const server = entry.kind === 'mcp' ? parseMcpToolName(toolName)!.server : undefined;
  const extra = server !== undefined && Object.hasOwn(mcpPathArguments, server) ? (mcpPathArguments[server] ?? []) : [];
  return [...new Set([...entry.pathKeys, ...extra])];
}

function str(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** What an action names, as the agent wrote it: for the card (never for decisions). */
export function displayTargets(toolName: string, input: Record<string, unknown>, mcpPathArguments: Readonly<Record<string, readonly string[]>> = {}): ActionTargets {
  const targets: ActionTargets = { paths: [] };
  for (const key of pathKeysOf(toolName, mcpPathArguments)) {
    const v = str(input, key);
    if (v !== undefined && !targets.paths.includes(v)) targets.paths.push(v);
  }
  const command = str(input, 'command');
  if (command !== undefined) targets.command = command;
  const url = str(input, 'url');
  if (url !== undefined) targets.url = url;
  const query = str(input, 'query');
  if (query !== undefined && toolName === 'WebSearch') targets.query = query;
  const pattern = str(input, 'pattern') ?? str(input, 'glob');
  if (pattern !== undefined) targets.pattern = pattern;
  const mcp = parseMcpToolName(toolName);
  if (mcp) targets.mcp = mcp;
  return targets;
}
