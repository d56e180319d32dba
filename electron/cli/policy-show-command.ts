// `cowork-companion policy show` and `policy check FILE`. show: the policy in force on this machine
// (or in --policy FILE), every setting with its value, the source that set it (or `default`) and
// whether it is locked — set by a source means locked. Secrets (telemetry headers, the HMAC key) are
// masked: the output ends up in tickets and chat. check: a file IT is about to roll out (JSON, a
// managed-preferences plist, or a .mobileconfig profile's payload), every error and warning with its
// key path and, for JSON, line:column; exit 1 when there is an error.
import { readFileSync } from 'node:fs';
import { POLICY_SETTINGS, valueAt } from '../../shared/managed-policy-layout.js';
import type { PolicyProblem, PolicySource } from '../../shared/ui-contract.js';
import { checkPolicyBytes, openManagedPolicy, PolicyOverrideError, policyStatusView, problemText, sourceWhere, type ManagedPolicyService, type PolicyCheckReport, type PolicyState } from '../core/policy/index.js';
import { PolicyCommandError, type PolicyCommandOptions } from './policy-command.js';

export const MASK = '********';

/** A setting's value as shown: secrets masked (header names stay: they say what is sent, not the secret). */
export function shownValue(key: string, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (key === 'telemetry.redaction.hmacKey') return MASK;
  if (key === 'telemetry.headers' && typeof value === 'object' && value !== null) return Object.fromEntries(Object.keys(value).map((k) => [k, MASK]));
  return value;
}

export interface ShownSetting {
  key: string;
  /** The value in force (absent: unset, the app's own behaviour). */
  value?: unknown;
  /** Where it was set, or `default`. */
  source: string;
  sourceKind?: PolicySource['kind'];
  locked: boolean;
}

export interface PolicyShowReport {
  state: ReturnType<typeof policyStatusView>['state'];
  behaviour: ReturnType<typeof policyStatusView>['behaviour'];
  error?: string;
  failClosed: boolean;
  /** Every place read, lowest precedence first (whether or not it holds anything). */
  locations: string[];
  /** The sources in force, lowest precedence first. */
  sources: PolicySource[];
  settings: ShownSetting[];
  problems: PolicyProblem[];
}

export function policyShowReport(state: PolicyState, locations: string[]): PolicyShowReport {
  const view = policyStatusView(state);
  const settings = POLICY_SETTINGS.map((s): ShownSetting => {
    const origin = state.origins[s.key];
    // A setting inside an object nobody set (approvals, watch...) still has its default.
    const fallback = s.schema.safeParse(undefined);
    const value = shownValue(s.key, valueAt(state.policy, s.path) ?? (fallback.success ? fallback.data : undefined));
    return { key: s.key, ...(value !== undefined ? { value } : {}), source: origin?.where ?? 'default', ...(origin ? { sourceKind: origin.kind } : {}), locked: origin !== undefined };
  });
  const sources = state.fault === undefined ? state.sources : Object.values(state.origins).filter((o, i, all) => all.findIndex((x) => x.where === o.where) === i);
  return { state: view.state, behaviour: view.behaviour, ...(state.error !== undefined ? { error: state.error } : {}), failClosed: state.failClosed, locations, sources, settings, problems: state.problems };
}

const STATE_WORDS: Record<PolicyShowReport['state'], string> = {
  ok: 'valid, in force',
  warnings: 'in force, with warnings',
  invalid: 'INVALID',
  untrusted: 'NOT TRUSTED (a user could change it)',
  none: 'no IT policy on this machine',
};

function valueText(value: unknown): string {
  if (value === undefined) return '(unset)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function policyShowLines(r: PolicyShowReport): string[] {
  const lines = [`Policy: ${STATE_WORDS[r.state]}${r.error !== undefined ? ` — ${r.error}` : ''}`];
  if (r.failClosed) lines.push('No valid policy: nothing is allowed automatically, every request asks a person.');
  const used = (l: string): boolean => r.sources.some((s) => s.where === l || s.where.startsWith(`${l}/`));
  lines.push('Read from (lowest precedence first):', ...r.locations.map((l) => `  ${l}${used(l) ? '' : ' (nothing set here)'}`));
  const keyWidth = Math.max(...r.settings.map((s) => s.key.length));
  const valueWidth = Math.min(40, Math.max(5, ...r.settings.map((s) => valueText(s.value).length)));
  lines.push('', `${'SETTING'.padEnd(keyWidth)}  ${'VALUE'.padEnd(valueWidth)}  SOURCE`);
  for (const s of r.settings) lines.push(`${s.key.padEnd(keyWidth)}  ${valueText(s.value).padEnd(valueWidth)}  ${s.locked ? `locked by ${s.source}` : 'default'}`);
  if (r.problems.length > 0) {
    lines.push('', r.state === 'warnings' ? 'Warnings:' : 'Problems:');
    for (const p of r.problems) lines.push(`  ${problemPlace(p)}${problemText({ ...p, line: undefined, source: undefined })}`);
  }
  return lines;
}

/** `FILE:3:7: ` or `HKLM\…: ` */
function problemPlace(p: PolicyProblem, file?: string): string {
  const where = p.source ?? file;
  return `${where !== undefined ? `${where}:` : ''}${p.line !== undefined ? `${p.line}:${p.column}:` : ''} `;
}

/** `policy show`: the service reads this machine's sources (or --policy FILE) once. Exit 1 when the policy is invalid or untrusted. */
export function runPolicyShow(o: PolicyCommandOptions, service: () => ManagedPolicyService = () => openManagedPolicy({ policyFile: o.policyFile, platform: process.platform })): number {
  let s: ManagedPolicyService;
  try {
    s = service();
  } catch (error) {
    if (error instanceof PolicyOverrideError) throw new PolicyCommandError(error.message);
    throw error;
  }
  const locations = s.sourceSpecs.map(sourceWhere);
  const report = policyShowReport(s.state, locations);
  o.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : `${policyShowLines(report).join('\n')}\n`);
  return s.state.fault === undefined ? 0 : 1;
}


export function policyCheckLines(r: PolicyCheckReport): string[] {
  const line = (kind: string, p: PolicyProblem): string => `${r.file}:${p.line !== undefined ? `${p.line}:${p.column}:` : ''} ${kind}: ${p.path}: ${p.message}`;
  const summary = r.valid
    ? `${r.file}: valid${r.warnings.length > 0 ? ` (${r.warnings.length} warning${r.warnings.length > 1 ? 's' : ''})` : ''}`
    : `${r.file}: invalid: ${r.errors.length} error${r.errors.length > 1 ? 's' : ''}${r.warnings.length > 0 ? `, ${r.warnings.length} warning${r.warnings.length > 1 ? 's' : ''}` : ''}`;
  return [...r.errors.map((p) => line('error', p)), ...r.warnings.map((p) => line('warning', p)), summary];
}

export function runPolicyCheck(file: string, o: PolicyCommandOptions): number {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new PolicyCommandError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const report = checkPolicyBytes(file, bytes);
  o.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : `${policyCheckLines(report).join('\n')}\n`);
  return report.valid ? 0 : 1;
}
