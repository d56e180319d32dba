// What the request names: paths, the full command, address, query, pattern, MCP server and tool.
import type { ActionTargets } from '../../../shared/ui-contract.js';
import { useI18n } from '../i18n/use-i18n.js';
import { CommandBlock } from './command-block.js';
import { SafeText } from './safe-text.js';
import './action-target-list.css';

export function ActionTargetList({ targets, expanded = false }: { targets: ActionTargets; expanded?: boolean }) {
  const { t } = useI18n();
  const { paths, command, url, query, pattern, mcp } = targets;
  const empty = paths.length === 0 && !command && !url && !query && !pattern && !mcp;
  if (empty) return <p className="targets-empty">{t('targets.none')}</p>;
  return (
    <dl className="targets pairs">
      {mcp && (
        <>
          <dt>{t('targets.mcpServer')}</dt>
          <dd><code className="mono"><SafeText text={mcp.server} /></code></dd>
          <dt>{t('targets.tool')}</dt>
          <dd><code className="mono"><SafeText text={mcp.tool} /></code></dd>
        </>
      )}
      {paths.length > 0 && (
        <>
          <dt>{t(paths.length === 1 ? 'targets.path' : 'targets.paths')}</dt>
          {paths.map((p, i) => (
            <dd key={i}><code className="mono"><SafeText text={p} /></code></dd>
          ))}
        </>
      )}
      {command !== undefined && (
        <>
          <dt>
            {t('targets.command')} <span className="untrusted-note">{t('targets.commandNote')}</span>
          </dt>
          <dd><CommandBlock command={command} expanded={expanded} /></dd>
        </>
      )}
      {url !== undefined && (
        <>
          <dt>{t('targets.address')}</dt>
          <dd><code className="mono"><SafeText text={url} /></code></dd>
        </>
      )}
      {query !== undefined && (
        <>
          <dt>{t('targets.search')}</dt>
          <dd><code className="mono"><SafeText text={query} /></code></dd>
        </>
      )}
      {pattern !== undefined && (
        <>
          <dt>{t('targets.pattern')}</dt>
          <dd><code className="mono"><SafeText text={pattern} /></code></dd>
        </>
      )}
    </dl>
  );
}
