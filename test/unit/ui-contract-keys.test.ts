// ui-contract.ts lists a few of the managed policy's keys by hand (deriving them would make the two
// contract modules import each other); this keeps the lists in step with the policy schema.
import { describe, expect, it } from 'vitest';
import { ManagedPolicySchema } from '../../shared/managed-policy-contract.js';
import { ApprovalTimingKeySchema } from '../../shared/ui-contract.js';

/** The keys of an object schema, through the optional/default wrappers around it. */
function objectKeys(schema: unknown): string[] {
  let s = schema as { shape?: Record<string, unknown>; unwrap?: () => unknown };
  while (!s.shape && s.unwrap) s = s.unwrap() as typeof s;
  if (!s.shape) throw new Error('not an object schema');
  return Object.keys(s.shape);
}

describe('ui-contract keys taken from the managed policy', () => {
  it('ApprovalTimingKeySchema is every approvals key except sandboxedBash (which has its own setting)', () => {
    const approvals = objectKeys(ManagedPolicySchema.shape.approvals);
    expect(approvals).toContain('sandboxedBash');
    expect([...ApprovalTimingKeySchema.options].sort()).toEqual(approvals.filter((k) => k !== 'sandboxedBash').sort());
  });
});
