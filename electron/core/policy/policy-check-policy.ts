// `policy check FILE`: what a file IT is about to roll out means, by its kind — `.plist` (managed
// preferences), `.mobileconfig` (the payload for the app's domain in a configuration profile), anything
// else JSON (with line:column). Errors make it invalid; unknown keys are warnings (errors with strict);
// so are rules that can never match what they name (warnings even with strict, as in the app).
import { extname } from 'node:path';
import type { PolicyProblem } from '../../../shared/ui-contract.js';
import { mergeParts } from './policy-merge-policy.js';
import { jsonPart, type PartReading } from './policy-part-policy.js';
import { plistPart } from './plist-policy.js';

export interface PolicyCheckReport {
  file: string;
  valid: boolean;
  errors: PolicyProblem[];
  warnings: PolicyProblem[];
}

/** A file's reading by its kind: `.plist` (managed preferences), `.mobileconfig` (a profile's payload), anything else JSON. */
export function checkPolicyBytes(file: string, bytes: Buffer): PolicyCheckReport {
  const ext = extname(file).toLowerCase();
  const reading: PartReading = ext === '.plist' ? plistPart('managed-preferences', file, bytes) : ext === '.mobileconfig' ? plistPart('managed-preferences', file, bytes, true) : jsonPart('file', file, bytes.toString('utf8'));
  const strip = (p: PolicyProblem): PolicyProblem => {
    const { source: _source, ...rest } = p;
    return rest;
  };
  if (!reading.ok) return { file, valid: false, errors: reading.problems.map(strip), warnings: (reading.warnings ?? []).map(strip) };
  // The rules that span settings (checked for JSON by the whole-file read; for plists here).
  const merged = mergeParts([reading.part]);
  if (!merged.ok) return { file, valid: false, errors: merged.problems.map(strip), warnings: reading.part.warnings.map(strip) };
  // The part's own warnings and the merge's (rules that can never match): what the app would show.
  return { file, valid: true, errors: [], warnings: merged.warnings.map(strip) };
}
