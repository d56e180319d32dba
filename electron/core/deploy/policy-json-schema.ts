// The managed policy as JSON Schema 2020-12 (for Linux's /etc/cowork-companion/policy.json and for
// editors) and the example policy, both from the schema and its metadata. Input form (`io: 'input'`):
// keys with a default are not required. The schema is stricter than the core in one way: it rejects
// unknown keys (additionalProperties: false) where the core warns and applies the rest, so an editor
// flags a misspelt key before rollout.
import { z } from 'zod';
import { ManagedPolicySchema } from '../../../shared/managed-policy-contract.js';
import { examplePolicy } from '../../../shared/managed-policy-meta.js';
import { CollectorUrlSchema, RedactionPolicySchema } from '../../../shared/telemetry-policy-contract.js';

/** The schema's identifier (a name, not an address that must resolve). */
export const POLICY_SCHEMA_ID = 'https://coworkcompanion.app/schemas/policy.schema.json';
const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

export function policyJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ManagedPolicySchema, {
    io: 'input',
    target: 'draft-2020-12',
    // The checks zod keeps in code (refine) that JSON Schema can say too, so an editor and ajv reject
    // what the core rejects.
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === CollectorUrlSchema) jsonSchema.pattern = '^[Hh][Tt][Tt][Pp][Ss]?://[^/?#@]+([/?#]|$)';
      if (zodSchema === RedactionPolicySchema) {
        jsonSchema.if = { properties: { identity: { const: 'hmac' } }, required: ['identity'] };
        jsonSchema.then = { required: ['hmacKey'] };
      }
    },
  }) as Record<string, unknown>;
  const { $schema: _schema, title, description, ...rest } = generated;
  return { $schema: DRAFT_2020_12, $id: POLICY_SCHEMA_ID, title, description, ...rest };
}

export function policyJsonSchemaText(): string {
  return `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
}

/** The example policy.json: every setting at its first example. No `$schema` key in it: the core
 *  would warn about a key it does not know. */
export function examplePolicyText(): string {
  return `${JSON.stringify(examplePolicy(), null, 2)}\n`;
}
