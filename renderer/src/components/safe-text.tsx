// Untrusted text (from the agent) as React text nodes, with hidden characters shown as markers.
import { useI18n } from '../i18n/use-i18n.js';
import { splitInvisible } from '../reveal-invisible.js';
import './safe-text.css';

export function SafeText({ text, multiline = false }: { text: string; multiline?: boolean }) {
  const { t } = useI18n();
  const segments = splitInvisible(text, { multiline });
  return (
    <span className="safe-text">
      {segments.map((s, i) =>
        s.kind === 'text' ? (
          s.value
        ) : (
          <span key={i} className="hidden-char" title={t('targets.hiddenChar', { name: s.name })}>
            {s.label}
          </span>
        ),
      )}
    </span>
  );
}
