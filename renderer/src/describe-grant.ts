// One plain sentence saying what approving grants (UX-NOTES #6), and a short name for the target.
import type { ActionTargets } from '../../shared/action-targets.js';

const VERBS: Record<string, string> = {
  Read: 'read this file',
  Write: 'write this file',
  Edit: 'edit this file',
  MultiEdit: 'edit this file',
  NotebookEdit: 'edit this notebook',
  Bash: 'run this command',
  WebFetch: 'fetch this address',
  WebSearch: 'search the web for this',
  Glob: 'list files matching this pattern',
  Grep: 'search file contents for this pattern',
};

export function describeGrant(toolName: string, targets: ActionTargets): string {
  if (targets.mcp) return `Allows the agent to call “${targets.mcp.tool}” on the ${targets.mcp.server} MCP server, this once.`;
  const verb = VERBS[toolName] ?? `use the ${toolName} tool`;
  return `Allows the agent to ${verb}, this once.`;
}

/** The most telling target, for one-line summaries. */
export function describeTarget(targets: ActionTargets): string | undefined {
  return (
    targets.paths[0] ??
    targets.command ??
    targets.url ??
    targets.query ??
    targets.pattern ??
    (targets.mcp ? `${targets.mcp.server} / ${targets.mcp.tool}` : undefined)
  );
}
