// What an action names, for display and (later) for scope checks. Pure: runs anywhere.
export interface ActionTargets {
  /** File or folder paths the tool input names, as given (absolute for built-in tools). */
  paths: string[];
  command?: string;
  url?: string;
  query?: string;
  pattern?: string;
  mcp?: { server: string; tool: string };
}

const PATH_KEYS = ['file_path', 'notebook_path', 'path', 'file', 'filename', 'directory', 'dir', 'uri'];

function str(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** `mcp__<server>__<tool>`; server names may not contain `__`, tool names may. */
export function parseMcpToolName(toolName: string): { server: string; tool: string } | undefined {
  const m = /^mcp__([^_](?:[^_]|_(?!_))*)__(.+)$/.exec(toolName);
  return m ? { server: m[1]!, tool: m[2]! } : undefined;
}

export function extractTargets(toolName: string, input: Record<string, unknown>): ActionTargets {
  const targets: ActionTargets = { paths: [] };
  for (const key of PATH_KEYS) {
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
