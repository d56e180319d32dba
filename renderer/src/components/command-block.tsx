// Text exactly as the agent wrote it (a command, a description, a notebook cell). A long one shows its
// first lines (and at most PREVIEW_CHARS characters: one very long line is cut too, marked where) with
// a visible count of the rest and a "Show all" toggle. What is drawn is drawn whole (no inner scroll
// box hides wrapped lines): never cut silently.
import { useId, useState } from 'react';
import { useI18n } from '../i18n/use-i18n.js';
import { SafeText } from './safe-text.js';
import './command-block.css';

/** Lines shown before "Show all". */
export const PREVIEW_LINES = 8;
/** Characters shown before "Show all" (long lines wrap; this many fill a card at tray width). */
export const PREVIEW_CHARS = 1200;

/** The part shown before "Show all", and what is left out of it. */
export function previewOf(text: string): { shown: string; moreLines: number; moreChars: number; midLine: boolean } {
  const lines = text.split('\n');
  let shown = lines.slice(0, PREVIEW_LINES).join('\n');
  let midLine = false;
  if (shown.length > PREVIEW_CHARS) {
    // Not between the two halves of a surrogate pair.
    const end = /[\uD800-\uDBFF]/.test(shown[PREVIEW_CHARS - 1] ?? '') ? PREVIEW_CHARS - 1 : PREVIEW_CHARS;
    shown = shown.slice(0, end);
    midLine = true;
  }
  return { shown, moreLines: lines.length - shown.split('\n').length, moreChars: text.length - shown.length, midLine };
}

/** `prose`: words rather than code (an agent's description or prompt), drawn as a paragraph. */
export function CommandBlock({ command, expanded = false, prose = false }: { command: string; expanded?: boolean; prose?: boolean }) {
  const i18n = useI18n();
  const id = useId();
  const [open, setOpen] = useState(false);
  const { shown, moreLines, moreChars, midLine } = previewOf(command);
  const long = moreChars > 0;
  const whole = !long || expanded || open;
  const lineCount = command.split('\n').length;
  const Text = prose ? 'p' : 'pre';
  return (
    <>
      <Text id={id} className={prose ? 'prose-block' : 'mono block command-block'}>
        <SafeText text={whole ? command : shown} multiline />
        {!whole && midLine && <span className="command-cut" aria-hidden="true">…</span>}
      </Text>
      {!whole && (
        <p className="command-more">
          {midLine ? i18n.plural('text.moreChars', moreChars) : i18n.plural('command.more', moreLines)}
        </p>
      )}
      {long && !expanded && (
        <button type="button" className="btn-link" aria-expanded={whole} aria-controls={id} onClick={() => setOpen(!open)}>
          {whole ? i18n.t('command.showFewer') : lineCount > PREVIEW_LINES ? i18n.plural('command.showAll', lineCount) : i18n.plural('text.showAllChars', command.length)}
        </button>
      )}
    </>
  );
}
