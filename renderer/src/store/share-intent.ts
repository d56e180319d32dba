// A folder the person chose to share from somewhere else than the Shared folders form (the Inbox's
// first-run guidance, a fix offered on a denied request): the window opens the form with it filled
// in, and the person still confirms there. Nothing is shared from here.
import { create } from 'zustand';
import type { ScopeMode } from '../../../shared/scope-contract.js';

export interface ShareIntent {
  /** What to fill in; `seq` changes on every request, so asking twice opens the form twice. */
  draft: { path: string; mode: ScopeMode; seq: number } | null;
}

export const useShareIntent = create<ShareIntent>()(() => ({ draft: null }));

export function openShareForm(path: string, mode: ScopeMode = 'read'): void {
  useShareIntent.setState((s) => ({ draft: { path, mode, seq: (s.draft?.seq ?? 0) + 1 } }));
}
