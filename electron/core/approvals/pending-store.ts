// pending.json: the inbox as it was, so pending and held items survive a restart.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ApprovalItemSchema } from '../../../shared/ui-contract.js';
import { parseHookPayload, type ToolPayload } from '../../../shared/agent-api-contract.js';
import type { StoredEntry } from './approvals-broker-service.js';

const StoredSchema = z.array(z.object({ item: ApprovalItemSchema, payload: z.unknown(), received: z.number() }));

/** Entries that still parse (a damaged file never blocks startup; the bad entries are skipped). */
export function loadPending(file: string): StoredEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
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
