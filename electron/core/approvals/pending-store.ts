// pending.json: the inbox as it was, so pending and held items survive a restart. The file is state
// the agent could edit (same user), so nothing in it is taken on trust: an item the journal never
// recorded as requested is dropped (and reported), and every kept card is rebuilt from its payload —
// the card shows exactly what a retry would run.
import { z } from 'zod';
import { parseHookPayload, type ToolPayload } from '../../../shared/agent-api-contract.js';
import { ApprovalItemSchema, type ApprovalItem } from '../../../shared/ui-contract.js';
import type { ResolvedRequest } from '../requests/index.js';
import type { StoredEntry } from './approvals-broker-service.js';
import type { RuleOffer } from './rule-matching-policy.js';

const StoredSchema = z.array(z.object({ item: ApprovalItemSchema, payload: z.unknown(), received: z.number() }));

/** Entries that still parse (a damaged file never blocks startup; the bad entries are skipped). */
/** `text`: the file's content once checked against its seal (undefined: none, or not trusted). */
export function loadPending(text: string | undefined): StoredEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '[]');
  } catch {
    return [];
  }
  const parsed = StoredSchema.safeParse(raw);
  if (!parsed.success) return [];
  return parsed.data.flatMap((e) => {
    const p = parseHookPayload(e.payload);
    return p.ok && p.hook.kind === 'tool' ? [{ item: e.item, payload: p.hook.payload as ToolPayload, received: e.received }] : [];
  });
}

export interface RestoreDeps {
  /** Approval ids the journal recorded as requested. */
  requested: ReadonlySet<string>;
  resolve(payload: ToolPayload): ResolvedRequest;
  /** Why a person is asked about it now (the card's note). */
  noteFor(request: ResolvedRequest): string | undefined;
  proposeRule(request: ResolvedRequest): RuleOffer;
}

export interface Restored {
  kept: StoredEntry[];
  refused: { entry: StoredEntry; reason: string }[];
}

export function restorePending(stored: StoredEntry[], deps: RestoreDeps): Restored {
  const kept: StoredEntry[] = [];
  const refused: Restored['refused'] = [];
  for (const entry of stored) {
    if (!deps.requested.has(entry.item.id)) {
      refused.push({ entry, reason: 'the journal has no record of this request arriving; it was dropped' });
      continue;
    }
    const request = deps.resolve(entry.payload);
    const { payload } = request;
    const note = deps.noteFor(request);
    const offer = deps.proposeRule(request);
    // Only what the person decided about the item (held, its times) and what the agent was told are
    // taken from the file (the broker caps a hold's end by the policy; the card shows `told` as untrusted text).
    const item: ApprovalItem = {
      id: entry.item.id,
      hookEvent: payload.hook_event_name,
      sessionId: payload.session_id,
      ...(payload.prompt_id !== undefined ? { promptId: payload.prompt_id } : {}),
      ...(payload.tool_use_id !== undefined ? { toolUseId: payload.tool_use_id } : {}),
      toolName: payload.tool_name,
      cwd: payload.cwd,
      targets: request.display,
      receivedAt: entry.item.receivedAt,
      expiresAt: entry.item.expiresAt,
      held: entry.item.held,
      ...(entry.item.heldUntil ? { heldUntil: entry.item.heldUntil } : {}),
      ...(entry.item.told ? { told: entry.item.told } : {}),
      ...(entry.item.onTimeout ? { onTimeout: entry.item.onTimeout } : {}),
      ...(note ? { note } : {}),
      contentHash: request.contentHash,
      agentWaiting: false,
      duplicates: entry.item.duplicates,
      isRead: request.isRead,
      ...offer,
    };
    kept.push({ ...entry, item });
  }
  return { kept, refused };
}
