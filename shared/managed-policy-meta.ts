// What IT reads about each policy setting: title, description and examples, kept as zod metadata on
// the schema itself (managed-policy-contract.ts) and found here per setting and per object level (the
// ADMX categories). Templates, the JSON Schema and the example policy are all made from this.
import { z } from 'zod';
import { ManagedPolicySchema } from './managed-policy-contract.js';
import { innerSchema, POLICY_SETTINGS, setValueAt, unwrapped } from './managed-policy-layout.js';

export const PolicyMetaSchema = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  examples: z.array(z.unknown()).min(1).optional(),
});
export type PolicyMeta = z.infer<typeof PolicyMetaSchema>;

/** The metadata of a setting's schema: on its outermost wrapper, else on the first one inside that has any. */
export function policyMeta(schema: z.ZodType): PolicyMeta | undefined {
  for (let s: z.ZodType | undefined = schema; s !== undefined; s = innerSchema(s)) {
    const meta = s.meta();
    if (meta !== undefined) {
      const parsed = PolicyMetaSchema.safeParse(meta);
      return parsed.success ? parsed.data : undefined;
    }
  }
  return undefined;
}

/** An object level of the policy (`approvals`, `telemetry.redaction`): a category in Group Policy. */
export interface PolicyGroup {
  path: readonly string[];
  key: string;
  schema: z.ZodType;
}

/** Every nested object level, depth first in schema order (the root itself not included). */
export function policyGroups(schema: z.ZodType = ManagedPolicySchema, path: readonly string[] = []): PolicyGroup[] {
  const s = unwrapped(schema);
  if (!(s instanceof z.ZodObject)) return [];
  return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([name, child]) => {
    if (!(unwrapped(child) instanceof z.ZodObject)) return [];
    const at = [...path, name];
    return [{ path: at, key: at.join('.'), schema: child }, ...policyGroups(child, at)];
  });
}

export const POLICY_GROUPS: readonly PolicyGroup[] = policyGroups();

/** The metadata of a setting or group; throws when it has none (a key added without its description). */
export function requiredMeta(entry: { key: string; schema: z.ZodType }): PolicyMeta {
  const meta = policyMeta(entry.schema);
  if (!meta) throw new Error(`policy setting ${entry.key} has no title and description (.meta in managed-policy-contract.ts)`);
  return meta;
}

/** An example policy: every setting at its first example (what the generated policy.json holds). */
export function examplePolicy(): Record<string, unknown> {
  const policy: Record<string, unknown> = {};
  for (const setting of POLICY_SETTINGS) {
    const examples = requiredMeta(setting).examples;
    if (examples !== undefined) setValueAt(policy, setting.path, examples[0]);
  }
  return policy;
}
