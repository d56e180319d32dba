// Untrusted text (from the agent) as React text nodes, with hidden characters shown as markers.
import { splitInvisible } from '../reveal-invisible.js';

export function SafeText({ text, multiline = false }: { text: string; multiline?: boolean }) {
  const segments = splitInvisible(text, { multiline });
  return (
    <span className="safe-text">
      {segments.map((s, i) =>
        s.kind === 'text' ? (
          s.value
        ) : (
          <span key={i} className="hidden-char" title={`Hidden character: ${s.name}`}>
            {s.label}
          </span>
        ),
      )}
    </span>
  );
}
