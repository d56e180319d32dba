// The typed evidence schema: what the core emits today validates (built by the real broker and the
// way scope, policy and shipper build their events), redaction keeps it valid, mistakes are caught,
// and docs/telemetry.md documents every event and attribute.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import {
  EVIDENCE_EVENT_SCHEMAS,
  isEvidenceEventName,
  validateEvidenceAttributes,
} from '../../shared/evidence-schema.js';
import { ATTR, EVENT_NAMES, type EventName } from '../../shared/telemetry-events.js';
import { RedactionPolicySchema } from '../../shared/telemetry-policy-contract.js';
import { ApprovalsBrokerService } from '../../electron/core/approvals/approvals-broker-service.js';
import { LEDGER_LIMITS } from '../../electron/core/approvals/pre-tool-use-ledger.js';
import { DecisionJournalService, parseJournalLine, segmentName } from '../../electron/core/evidence/decision-journal-service.js';
import { newEvidenceEvent, type EvidenceEvent } from '../../electron/core/evidence/evidence-event.js';
import type { LogSender } from '../../electron/core/evidence/otlp-log-sender.js';
import { OutboxShipperService } from '../../electron/core/evidence/outbox-shipper-service.js';
import { systemClock } from '../../electron/core/base/system-clock.js';
import { redactAttributes } from '../../electron/core/evidence/redaction-policy.js';
import { fixture } from '../support/fixtures.js';
import { resolved } from '../support/resolve.js';
import { ManualClock } from '../support/manual-clock.js';

/** submit() as the agent API does it: the payload resolved once, then queued. */
const submit = (b: ApprovalsBrokerService, p: ToolPayload, budgetMs: number, note?: string) => b.submit(resolved(p), budgetMs, note);

/** submit() for a request that waits in the inbox (not answered at once). */
async function queue(b: ApprovalsBrokerService, p: ToolPayload, budgetMs: number, note?: string) {
  const r = await submit(b, p, budgetMs, note);
  if (!r.item) throw new Error('expected the request to wait in the inbox');
  return { ...r, item: r.item };
}


/** Every kind of event the broker records, produced by the broker itself from the fixtures. */
async function brokerEvents(): Promise<EvidenceEvent[]> {
  const clock = new ManualClock();
  const recorded: EvidenceEvent[] = [];
  const broker = new ApprovalsBrokerService({ clock, evidence: { record: async (e) => void recorded.push(e) } });
  const write = fixture<ToolPayload>('input/pretooluse-write.json');
  const bash = fixture<ToolPayload>('input/permissionrequest-bash.json'); // no tool_use_id
  const a = await queue(broker, write, 60_000);
  clock.advance(1500);
  await broker.approve(a.item.id, a.item.contentHash);
  const b = await queue(broker, bash, 60_000);
  await broker.deny(b.item.id, b.item.contentHash, 'not now');
  const c = await queue(broker, write, 5000);
  await broker.hold(c.item.id, c.item.contentHash); // held by a person
  await submit(broker, write, 5000); // a retry while held: told so by the hold (policy)
  await queue(broker, bash, 5000);
  clock.advance(5000); // timeout
  const d = await queue(broker, bash, 60_000);
  await broker.withdraw(d.item.id);
  clock.advance(24 * 3_600_000); // the hold ends: withdrawn with a reason
  const timeoutHeld = new ApprovalsBrokerService({ clock, evidence: { record: async (e) => void recorded.push(e) }, onTimeout: () => 'hold' });
  await queue(timeoutHeld, write, 5000);
  clock.advance(5000); // held by the time budget
  await broker.decideWithoutPerson(resolved(write), { verdict: 'allow', source: 'policy', reason: 'Allowed by Cowork Companion: inside the shared folder /Users/dana.kovac/work/payments-api.', rule: 'scope.shared-folder:read-write:/Users/dana.kovac/work/payments-api' });
  await broker.decideWithoutPerson(resolved(bash), { verdict: 'deny', source: 'rule', reason: 'Blocked by a rule.', rule: 'rule:bash' });
  const e = await queue(broker, write, 60_000);
  await broker.denyAll('Cowork Companion is shutting down.');
  void e;
  return recorded;
}

/** Built the way scope-service, companion-core and the outbox shipper build theirs. */
function otherEvents(now: number): EvidenceEvent[] {
  return [
    newEvidenceEvent(EVENT_NAMES.scopeChanged, now, { 'scope.action': 'add', 'scope.path': '/Users/dana.kovac/work/payments-api', 'scope.mode': 'read-write', 'scope.folder_count': 1 }),
    newEvidenceEvent(EVENT_NAMES.scopeChanged, now, { 'scope.action': 'set-mode', 'scope.path': '/srv/shared', 'scope.mode': 'read', 'scope.folder_count': 2 }),
    newEvidenceEvent(EVENT_NAMES.scopeChanged, now, { 'scope.action': 'remove', 'scope.path': '/srv/shared', 'scope.mode': 'read', 'scope.folder_count': 0 }),
    newEvidenceEvent(EVENT_NAMES.policyChanged, now, { 'policy.source': '(none)', 'policy.error': undefined, 'policy.fail_closed': false }),
    newEvidenceEvent(EVENT_NAMES.policyChanged, now, { 'policy.source': '/etc/cowork-companion/policy.json', 'policy.error': 'not valid JSON', 'policy.fail_closed': true }),
    newEvidenceEvent(EVENT_NAMES.telemetryLoss, now, {
      'loss.count': 1200,
      'loss.reason': 'journal disk budget exceeded while the collector was unreachable',
      'loss.first_event_time': new Date(now - 60_000).toISOString(),
      'loss.last_event_time': new Date(now).toISOString(),
    }),
    newEvidenceEvent(EVENT_NAMES.telemetryLoss, now, { 'loss.count': 3, 'loss.reason': 'journal disk budget exceeded while the collector was unreachable', 'loss.first_event_time': undefined, 'loss.last_event_time': undefined }),
    newEvidenceEvent(EVENT_NAMES.fileOutOfScope, now, { 'file.path': '/Users/dana.kovac/.ssh/config', 'file.change': 'modified', 'scope.violation': 'forbidden', 'session.id': 's1', 'prompt.id': 'p1' }),
    newEvidenceEvent(EVENT_NAMES.escalationRaised, now, { 'escalation.id': 'x1', 'escalation.kind': 'file.out_of_scope', 'escalation.reason': 'A file outside the shared folders changed during a run.', 'escalation.cause_event_id': 'ev-1', 'file.path': '/tmp/x' }),
  ];
}

describe('what the core emits today validates', () => {
  it('every broker event (requested, decided by user/policy/rule/timeout, held, withdrawn)', async () => {
    const events = await brokerEvents();
    const names = new Set(events.map((e) => e.name));
    expect(names).toEqual(new Set(['approval.requested', 'approval.decided', 'approval.withdrawn', 'approval.held']));
    const sources = new Set(events.filter((e) => e.name === 'approval.decided').map((e) => e.attributes['decision.source']));
    expect(sources).toEqual(new Set(['user', 'policy', 'rule', 'timeout']));
    const holdSources = new Set(events.filter((e) => e.name === 'approval.held').map((e) => e.attributes['decision.source']));
    expect(holdSources).toEqual(new Set(['user', 'policy', 'timeout']));
    expect(events.some((e) => e.name === 'approval.withdrawn' && String(e.attributes['withdrawn.reason']).includes('hold ended'))).toBe(true);
    for (const e of events) expect(validateEvidenceAttributes(e.name, e.attributes), `${e.name} ${JSON.stringify(e.attributes)}`).toEqual({ ok: true, attributes: e.attributes });
  });

  it('scope, policy, loss, out-of-scope and escalation events', () => {
    for (const e of otherEvents(1_700_000_000_000)) expect(validateEvidenceAttributes(e.name, e.attributes), e.name).toMatchObject({ ok: true });
  });

  it('every event name has a schema, and every schema an event name', () => {
    expect(Object.keys(EVIDENCE_EVENT_SCHEMAS).sort()).toEqual(Object.values(EVENT_NAMES).sort());
  });

  it.each([
    ['keep', RedactionPolicySchema.parse({ identity: 'keep' })],
    ['drop', RedactionPolicySchema.parse({ identity: 'drop', shortenHomePaths: false })],
    ['hmac', RedactionPolicySchema.parse({ identity: 'hmac', hmacKey: 'a-policy-key-of-at-least-32-characters' })],
  ])('stays valid after redaction (%s), with identity attributes added', async (_mode, redaction) => {
    const events = [...(await brokerEvents()), ...otherEvents(1_700_000_000_000)];
    for (const e of events) {
      const attrs = { ...e.attributes, 'user.email': 'dana.kovac@example.com', 'user.id': 'dana', 'user.name': 'Dana Kovač' };
      const redacted = redactAttributes(attrs, redaction, { home: '/Users/dana.kovac' });
      expect(validateEvidenceAttributes(e.name, redacted), `${e.name} ${JSON.stringify(redacted)}`).toMatchObject({ ok: true });
    }
  });
});

describe('mistakes are caught', () => {
  const decided = () => ({
    'event.id': 'e1',
    'session.id': 's1',
    'prompt.id': 'p1',
    tool_use_id: 't1',
    tool_name: 'Write',
    hook_event_name: 'PreToolUse',
    cwd: '/w',
    'approval.id': 'a1',
    decision: 'allow',
    'decision.source': 'user',
    'decision.latency_ms': 5,
    'decision.reason': 'ok',
  });

  it('accepts the minimal decided event', () => {
    expect(validateEvidenceAttributes('approval.decided', decided()).ok).toBe(true);
  });

  it.each([
    ['a missing event.id', { 'event.id': undefined }],
    ['a missing session.id', { 'session.id': undefined }],
    ['an unknown decision', { decision: 'maybe' }],
    ['an unknown source', { 'decision.source': 'agent' }],
    ['a negative latency', { 'decision.latency_ms': -1 }],
    ['a fractional latency', { 'decision.latency_ms': 1.5 }],
    ['a latency as text', { 'decision.latency_ms': '5' }],
    ['a non-deciding hook event', { hook_event_name: 'PostToolUse' }],
    ['an unknown attribute (typo)', { 'decision.sorce': 'user' }],
    ['an empty tool name', { tool_name: '' }],
  ])('rejects %s', (_label, change) => {
    const attrs: Record<string, unknown> = { ...decided(), ...change };
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete attrs[k];
    const result = validateEvidenceAttributes('approval.decided', attrs);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^approval\.decided: /);
  });

  it('rejects unknown event names and non-objects', () => {
    expect(validateEvidenceAttributes('approval.approved', {})).toEqual({ ok: false, message: 'unknown evidence event "approval.approved"' });
    expect(isEvidenceEventName('toString')).toBe(false);
    expect(isEvidenceEventName('telemetry.loss')).toBe(true);
    expect(validateEvidenceAttributes('scope.changed', null).ok).toBe(false);
  });

  it('checks telemetry.loss: positive count, ISO times', () => {
    const base = { 'event.id': 'e', 'loss.count': 2, 'loss.reason': 'disk budget' };
    expect(validateEvidenceAttributes('telemetry.loss', base).ok).toBe(true);
    expect(validateEvidenceAttributes('telemetry.loss', { ...base, 'loss.count': 0 }).ok).toBe(false);
    expect(validateEvidenceAttributes('telemetry.loss', { ...base, 'loss.first_event_time': 1_700_000_000_000 }).ok).toBe(false);
    expect(validateEvidenceAttributes('telemetry.loss', { ...base, 'loss.first_event_time': 'yesterday' }).ok).toBe(false);
    expect(validateEvidenceAttributes('telemetry.loss', { ...base, 'loss.first_event_time': '2026-11-24T10:00:00.000Z' }).ok).toBe(true);
  });

  it('names the attribute in the message', () => {
    const result = validateEvidenceAttributes('scope.changed', { 'event.id': 'e', 'scope.action': 'grow', 'scope.path': '/x', 'scope.mode': 'read', 'scope.folder_count': 1 });
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.message).toContain('scope.action');
  });
});

describe('journal lines from before and after the OS account moved to user.name', () => {
  /** approval.decided by a person as this version writes it. */
  const current = () => ({
    'event.id': '0c9f3f0e-6d7a-4d43-9d36-4b1f0d3c2a11',
    'session.id': '5b0e6f3c-9a41-4c7e-8d2f-1f6a3b9c7e21',
    'prompt.id': 'c3f1a7d2-4e8b-4b6a-9c0d-2e7f5a1b8d44',
    tool_use_id: 'toolu_01PushRefundRetry0000000',
    tool_name: 'Bash',
    hook_event_name: 'PermissionRequest',
    cwd: '~/work/payments-api',
    'approval.id': '7e2d5b8c-3f41-4a09-b6de-0e9c1a2f4b77',
    decision: 'deny',
    'decision.source': 'user',
    'decision.latency_ms': 4210,
    'decision.reason': 'Denied in Cowork Companion: not to origin',
    'claude_code.decision': 'reject',
    'claude_code.source': 'hook',
    'user.name': 'dana.kovac',
    'user.email': 'dana.kovac@example.com',
    'redaction.policy': 'identity=keep,home=~,input=off',
  });
  /** The same record as earlier versions wrote it: the OS account in user.id, no claude_code.*, no tool_use_id. */
  const earlier = () => {
    const { 'claude_code.decision': _d, 'claude_code.source': _s, 'user.name': name, tool_use_id: _t, ...rest } = current();
    return { ...rest, 'user.id': name };
  };

  it('accepts a line as this version writes it (user.name, claude_code.*, a paired tool_use_id)', () => {
    expect(validateEvidenceAttributes('approval.decided', current())).toMatchObject({ ok: true });
  });

  it('still accepts a line written before (user.id = OS account, no claude_code.*): it is evidence to ship', () => {
    expect(validateEvidenceAttributes('approval.decided', earlier())).toMatchObject({ ok: true });
  });

  it.each([
    ["the companion's word in Claude Code's attribute", { 'claude_code.decision': 'deny' }],
    ['a source Claude Code logs for its own prompt (the companion only answers through a hook)', { 'claude_code.source': 'user_reject' }],
  ])('rejects %s', (_label, change) => {
    expect(validateEvidenceAttributes('approval.decided', { ...current(), ...change }).ok).toBe(false);
  });

  it('ships a line written before as it is (the journal and the shipper never check it against the new schema)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-oldline-'));
    const line = { v: 1, eventId: current()['event.id'], name: 'approval.decided', time: 1_700_000_000_000, attributes: earlier() };
    writeFileSync(join(dir, segmentName(1)), `${JSON.stringify(line)}\n`);
    const delivered: EvidenceEvent[] = [];
    const sender: LogSender = { send: async (lines) => (delivered.push(...lines.map((l) => parseJournalLine(l)!)), { kind: 'accepted' }), shutdown: async () => undefined };
    const journal = new DecisionJournalService(dir);
    const shipper = new OutboxShipperService({ journal, sender, clock: systemClock, describe: { endpoint: 'http://x/v1/logs', protocol: 'http/json', configSource: 'default' }, limitBytes: 1e9, backoffMs: () => 5 });
    shipper.start();
    await expect.poll(() => delivered.length).toBe(1);
    await shipper.stop();
    await journal.close();
    expect(delivered[0]!.attributes).toEqual(earlier());
  });
});

describe('docs/telemetry.md', () => {
  const doc = readFileSync(new URL('../../docs/telemetry.md', import.meta.url), 'utf8');
  /** The text of the `### \`name\`` section of one event. */
  const section = (name: EventName): string => {
    const start = doc.indexOf(`### \`${name}\``);
    if (start < 0) return '';
    const end = doc.indexOf('\n### ', start + 1);
    return doc.slice(start, end < 0 ? undefined : end);
  };

  it.each(Object.keys(EVIDENCE_EVENT_SCHEMAS) as EventName[])('documents %s with every attribute', (name) => {
    const text = section(name);
    expect(text, `no section for ${name}`).not.toBe('');
    const schema = EVIDENCE_EVENT_SCHEMAS[name];
    for (const [key, field] of Object.entries(schema.shape)) {
      const optional = field.safeParse(undefined).success;
      // common attributes are documented once, in their own table
      if ([ATTR.eventId, ATTR.redactionPolicy, ATTR.userId, ATTR.userEmail, ATTR.userName].includes(key as never)) continue;
      const row = text.split('\n').find((line) => line.startsWith(`| \`${key}\``));
      expect(row, `${name}: ${key} is not documented`).toBeDefined();
      expect(row!.includes('| yes |'), `${name}: ${key} required=${!optional} in the schema`).toBe(!optional);
    }
  });

  it('states the pairing window and memory bound the broker uses', () => {
    expect(doc).toContain(`within **${LEDGER_LIMITS.windowMs / 60_000} minutes**`);
    expect(doc).toContain(`${LEDGER_LIMITS.perSession} calls per session, ${LEDGER_LIMITS.sessions} sessions`);
  });

  it('documents the common attributes', () => {
    for (const key of [ATTR.eventId, ATTR.redactionPolicy, ATTR.userId, ATTR.userEmail, ATTR.userName]) expect(doc).toContain(`| \`${key}\``);
  });
});
