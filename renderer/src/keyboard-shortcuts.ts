// The Inbox keyboard map (answers need a modifier, so stray typing decides nothing; Esc holds, never allows or denies;
// nothing fires while typing in a field). Pure, so every key is unit-tested.

export type ShortcutAction = 'next' | 'previous' | 'approve' | 'approve-run' | 'deny' | 'hold' | 'details' | 'help';

/** Where focus is: on a card itself, inside a card (a button), elsewhere on the page, or in a field. */
export type KeyContext = 'card' | 'in-card' | 'page' | 'editable';

export interface KeyLike {
  key: string;
  code?: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** The letter a key stands for: the typed letter when it is one (any layout), else the physical key
 *  (macOS turns Option+A into "å"). */
export function letterOf(e: Pick<KeyLike, 'key' | 'code'>): string | undefined {
  if (/^[a-z]$/i.test(e.key)) return e.key.toLowerCase();
  const code = /^Key([A-Z])$/.exec(e.code ?? '');
  return code ? code[1]!.toLowerCase() : undefined;
}

const ALT_LETTERS: Readonly<Record<string, ShortcutAction>> = { a: 'approve', r: 'approve-run', d: 'deny' };

export function shortcutFor(e: KeyLike, where: KeyContext): ShortcutAction | undefined {
  if (where === 'editable') return undefined;
  if (e.altKey) {
    if (e.ctrlKey || e.metaKey || where === 'page') return undefined;
    const letter = letterOf(e);
    return letter ? ALT_LETTERS[letter] : undefined;
  }
  if (e.ctrlKey || e.metaKey) return undefined;
  if (e.key === '?') return 'help';
  if (e.shiftKey) return undefined;
  if (e.key === 'j') return 'next';
  if (e.key === 'k') return 'previous';
  if (where === 'page') return undefined;
  if (e.key === 'ArrowDown') return 'next';
  if (e.key === 'ArrowUp') return 'previous';
  if (e.key === 'Escape') return 'hold';
  if (where === 'card' && (e.key === 'Enter' || e.key === ' ')) return 'details';
  return undefined;
}

/** Actions a card answers itself; the Inbox handles the rest (moving between cards, help). */
export const CARD_ACTIONS: ReadonlySet<ShortcutAction> = new Set(['approve', 'approve-run', 'deny', 'hold', 'details']);

const EDITABLE = 'input, textarea, select, [contenteditable]:not([contenteditable="false"])';
export const CARD_SELECTOR = 'article[data-approval-id]';

/** The context of a key event's target (DOM). */
export function keyContext(target: EventTarget | null): KeyContext {
  if (!(target instanceof Element)) return 'page';
  if (target.closest(EDITABLE)) return 'editable';
  if (target.matches(CARD_SELECTOR)) return 'card';
  return target.closest(CARD_SELECTOR) ? 'in-card' : 'page';
}

/** Shortcuts as the UI lists them (the panel and the hint line). */
export const SHORTCUT_KEYS: ReadonlyArray<{ action: ShortcutAction; keys: string[] }> = [
  { action: 'next', keys: ['J', '↓'] },
  { action: 'previous', keys: ['K', '↑'] },
  { action: 'approve', keys: ['Alt+A'] },
  { action: 'approve-run', keys: ['Alt+R'] },
  { action: 'deny', keys: ['Alt+D'] },
  { action: 'hold', keys: ['Esc'] },
  { action: 'details', keys: ['Enter', 'Space'] },
  { action: 'help', keys: ['?'] },
];
