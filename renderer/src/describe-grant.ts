// One plain sentence saying what approving once grants, and a short name for the target.
import type { ActionTargets } from '../../shared/ui-contract.js';
import { EN, type I18n, type MessageKey } from './i18n/translator.js';
import { revealInvisible } from './reveal-invisible.js';

const ACTIONS: Readonly<Record<string, MessageKey>> = {
  Read: 'grant.action.read',
  Write: 'grant.action.write',
  Edit: 'grant.action.edit',
  MultiEdit: 'grant.action.edit',
  NotebookEdit: 'grant.action.notebook',
  Bash: 'grant.action.bash',
  WebFetch: 'grant.action.fetch',
  WebSearch: 'grant.action.search',
  Glob: 'grant.action.glob',
  Grep: 'grant.action.grep',
};

export function describeGrant(toolName: string, targets: ActionTargets, i18n: I18n = EN): string {
  const known = Object.hasOwn(ACTIONS, toolName) ? ACTIONS[toolName] : undefined;
  const action = targets.mcp
    ? i18n.t('grant.action.mcp', { tool: revealInvisible(targets.mcp.tool), server: revealInvisible(targets.mcp.server) })
    : known
      ? i18n.t(known)
      : i18n.t('grant.action.tool', { tool: revealInvisible(toolName) });
  return i18n.t('grant.once', { action });
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
