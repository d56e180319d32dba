// What the request names: paths, the full command, address, query, pattern, MCP server and tool.
import type { ActionTargets } from '../../../shared/action-targets.js';
import { SafeText } from './safe-text.js';

export function ActionTargetList({ targets }: { targets: ActionTargets }) {
  const { paths, command, url, query, pattern, mcp } = targets;
  const empty = paths.length === 0 && !command && !url && !query && !pattern && !mcp;
  if (empty) return <p className="targets-empty">This request names no file, command or address.</p>;
  return (
    <dl className="targets">
      {mcp && (
        <>
          <dt>MCP server</dt>
          <dd><code className="mono"><SafeText text={mcp.server} /></code></dd>
          <dt>Tool</dt>
          <dd><code className="mono"><SafeText text={mcp.tool} /></code></dd>
        </>
      )}
      {paths.length > 0 && (
        <>
          <dt>{paths.length === 1 ? 'Path' : 'Paths'}</dt>
          {paths.map((p, i) => (
            <dd key={i}><code className="mono"><SafeText text={p} /></code></dd>
          ))}
        </>
      )}
      {command !== undefined && (
        <>
          <dt>
            Command <span className="untrusted-note">exactly as the agent wrote it</span>
          </dt>
          <dd><pre className="mono block"><SafeText text={command} multiline /></pre></dd>
        </>
      )}
      {url !== undefined && (
        <>
          <dt>Address</dt>
          <dd><code className="mono"><SafeText text={url} /></code></dd>
        </>
      )}
      {query !== undefined && (
        <>
          <dt>Search</dt>
          <dd><code className="mono"><SafeText text={query} /></code></dd>
        </>
      )}
      {pattern !== undefined && (
        <>
          <dt>Pattern</dt>
          <dd><code className="mono"><SafeText text={pattern} /></code></dd>
        </>
      )}
    </dl>
  );
}
