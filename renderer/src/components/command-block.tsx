// A command exactly as the agent wrote it. A long one shows its first lines with a visible count of
// the rest and a "Show all N lines" toggle: never cut silently, never cut in the middle.
import { useId, useState } from 'react';
import { useI18n } from '../i18n/use-i18n.js';
import { SafeText } from './safe-text.js';
import './command-block.css';

/** Lines shown before "Show all". */
export const PREVIEW_LINES = 8;

export function CommandBlock({ command, expanded = false }: { command: string; expanded?: boolean }) {
  const i18n = useI18n();
  const id = useId();
  const [open, setOpen] = useState(false);
  const lines = command.split('\n');
  const long = lines.length > PREVIEW_LINES;
  const whole = !long || expanded || open;
  return (
    <>
      <pre id={id} className={`mono block${long && whole ? ' is-whole' : ''}`}>
        <SafeText text={whole ? command : lines.slice(0, PREVIEW_LINES).join('\n')} multiline />
      </pre>
      {!whole && <p className="command-more">{i18n.plural('command.more', lines.length - PREVIEW_LINES)}</p>}
      {long && !expanded && (
        <button type="button" className="btn-link" aria-expanded={whole} aria-controls={id} onClick={() => setOpen(!open)}>
          {whole ? i18n.t('command.showFewer') : i18n.plural('command.showAll', lines.length)}
        </button>
      )}
    </>
  );
}
