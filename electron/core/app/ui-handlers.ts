// The UI's calls, one handler per contract method. Each handler gets its request already parsed
// against the contract (unknown keys stripped, types checked), so nothing the UI sends reaches the
// core's state unvalidated. Errors are CoreErrors; each transport maps them at its own edge.
import type { z } from 'zod';
import type { ToolPayload } from '../../../shared/agent-api-contract.js';
import { acceptedMatchKinds } from '../../../shared/tool-catalogue.js';
import { TIMELINE_EXPORT_MAX, TIMELINE_EXPORT_MAX_BYTES, TIMELINE_RUN_MAX, TIMELINE_RUN_MAX_BYTES, uiContract, type RuleDraft, type Snapshot, type UiContract, type UiMethod, type UiResponse } from '../../../shared/ui-contract.js';
import { CoreError } from '../base/index.js';
import { gateMatches, ruleMatches, toolMatches, type ApprovalsBrokerService, type RuleContext, type RulesService } from '../approvals/index.js';
import { ruleMissText } from '../policy/index.js';
import type { ResolvedRequest } from '../requests/index.js';
import type { ScopeService } from '../scope/index.js';
import type { SettingsRepository } from '../settings/index.js';
import type { EscalationService } from '../escalation/index.js';
import type { RunMonitorService } from '../watch/index.js';
import { formatCursor, ROW_ATTRIBUTES, runStory, storeFilter, timelineExport, timelineRowView, type TimelineStoreService } from '../timeline/index.js';

export type UiHandlers = {
  [M in UiMethod]: (request: z.output<UiContract[M]['request']>) => Promise<UiResponse<M>> | UiResponse<M>;
};

export interface UiHandlerDeps {
  broker: ApprovalsBrokerService;
  rules: RulesService;
  scope: ScopeService;
  monitor: RunMonitorService;
  escalation: EscalationService;
  /** IT's escalation rules, the person's, and whether IT lets people add theirs. */
  escalationRules: () => { policy: readonly { id: string }[]; personalAllowed: boolean };
  settings: SettingsRepository;
  ruleContext: RuleContext;
  resolve: (payload: ToolPayload) => ResolvedRequest;
  getSnapshot: () => Snapshot;
  /** Rules changed: settle what they now decide. */
  reevaluate: () => void;
  /** The sandboxed-Bash mode in force (IT's, when its policy sets one). */
  sandboxedBash: () => Snapshot['settings']['sandboxedBash'];
  /** Start at login as in force (IT's, when a policy decides it). */
  startAtLogin: () => Snapshot['settings']['startAtLogin'];
  // Timeline
  timeline: TimelineUiDeps;
}

/** The Timeline view's store, or why there is none (it is an index: the app runs without it). */
export interface TimelineUiDeps {
  store: Pick<TimelineStoreService, 'page' | 'query' | 'queryWithin' | 'complete'> | undefined;
  unavailable: string;
  /** The resource the companion's exporter sends (the OTLP JSON export carries the same). */
  resource: () => Record<string, string>;
  scopeName: string;
  now: () => number;
}

const OK = { ok: true } as const;

/** A person's rule whose kind of match can never apply to the tool is refused, saying why (the same
 *  sentence IT's policy check gives); one the editor does not offer (`any` for Bash), more briefly. */
function assertKindFits(draft: RuleDraft, toolName: string): void {
  const miss = ruleMissText({ ...draft, toolName });
  if (miss !== undefined) throw new CoreError('invalid_rule', miss);
  if (!acceptedMatchKinds(toolName).includes(draft.match.kind)) throw new CoreError('invalid_rule', `A rule for ${toolName} cannot match by ${draft.match.kind}.`);
}

export function uiHandlers(d: UiHandlerDeps): UiHandlers {
  return {
    getSnapshot: () => d.getSnapshot(),
    async approve({ id, contentHash, grant = 'once', rule }) {
      if (grant === 'once') {
        await d.broker.approve(id, contentHash);
        return OK;
      }
      // Before anything is approved: a refused grant must not leave the request approved once.
      d.rules.assertPersonalRulesAllowed();
      const payload = d.broker.payloadOf(id);
      const item = d.broker.pending().find((i) => i.id === id);
      if (!payload || !item || item.contentHash !== contentHash) throw new CoreError('not_pending', 'This request is no longer pending.');
      const draft = rule ?? item.proposedRule;
      if (!draft || draft.toolName !== item.toolName) throw new CoreError('invalid_rule', 'The rule must be for the tool of this request.');
      if (draft.effect !== 'allow') throw new CoreError('invalid_rule', 'Approving saves an allow rule; a deny or ask rule is saved when denying.');
      assertKindFits(draft, draft.toolName);
      if (!ruleMatches(draft, d.resolve(payload), d.ruleContext)) throw new CoreError('invalid_rule', 'The rule does not cover this request; widen it or approve once.');
      await d.broker.approve(id, contentHash);
      d.rules.add(draft, grant, payload.session_id);
      d.reevaluate();
      return OK;
    },
    async deny({ id, contentHash, reason, grant = 'once', rule }) {
      if (grant === 'once') {
        await d.broker.deny(id, contentHash, reason);
        return OK;
      }
      // "Always deny…": the rule (deny, or ask every time) must cover this very request, as an allow
      // rule must; a person's deny or ask rule only tightens, so IT's switch for person-made rules
      // does not stop it. The rule is saved before the request is denied, so it also answers duplicates.
      const payload = d.broker.payloadOf(id);
      const item = d.broker.pending().find((i) => i.id === id);
      if (!payload || !item || item.contentHash !== contentHash) throw new CoreError('not_pending', 'This request is no longer pending.');
      const draft = rule ?? (item.proposedRule ? { ...item.proposedRule, effect: 'deny' as const } : undefined);
      if (!draft || !toolMatches(draft.toolName, item.toolName)) throw new CoreError('invalid_rule', 'The rule must be for the tool of this request.');
      if (draft.effect === 'allow') throw new CoreError('invalid_rule', 'Denying saves a deny or ask rule; an allow rule is saved when approving.');
      assertKindFits(draft, item.toolName);
      if (gateMatches(draft, d.resolve(payload), d.ruleContext) !== 'yes') throw new CoreError('invalid_rule', 'The rule does not cover this request; widen it or deny once.');
      d.rules.add(draft, grant, payload.session_id);
      await d.broker.deny(id, contentHash, reason);
      d.reevaluate();
      return OK;
    },
    changePreview: ({ id, contentHash, whole = false }) => {
      const preview = d.broker.previewLines(id, contentHash, whole);
      return preview ? { preview } : {};
    },
    async hold({ id, contentHash }) {
      await d.broker.hold(id, contentHash);
      return OK;
    },
    async decideRunReads({ sessionId, verdict, items }) {
      return { ok: true, count: await d.broker.decideRunReads(sessionId, verdict, items) };
    },
    revokeRule({ id }) {
      d.rules.revoke(id);
      return OK;
    },
    resumeRun({ sessionId }) {
      d.broker.resumeRun(sessionId);
      return OK;
    },
    setEscalationRules({ rules }) {
      const { policy, personalAllowed } = d.escalationRules();
      if (!personalAllowed) throw new CoreError('setting_locked', 'Your organisation does not let people add escalation rules (policy escalation.allowPersonalRules).');
      const taken = rules.find((r) => policy.some((p) => p.id === r.id));
      if (taken) throw new CoreError('invalid_rule', `The id "${taken.id}" is one of your organisation's escalation rules; choose another.`);
      d.settings.writeEscalationRules(rules);
      return OK;
    },
    async resolveEscalation({ escalationId, how }) {
      await d.escalation.resolve(escalationId, how);
      return OK;
    },
    setLanguage({ language }) {
      d.settings.setLanguage(language);
      return OK;
    },
    setSandboxedBash({ mode }) {
      if (d.sandboxedBash().source === 'policy') throw new CoreError('setting_locked', 'Your organisation sets how sandboxed Bash commands are decided.');
      d.settings.setSandboxedBash(mode);
      d.reevaluate();
      return OK;
    },
    setStartAtLogin({ enabled }) {
      const current = d.startAtLogin();
      if (!current.available) throw new CoreError('unsupported', 'Starting at login is set in the desktop app.');
      if (current.source === 'policy') throw new CoreError('setting_locked', 'Your organisation sets whether Cowork Companion starts at login.');
      d.settings.setStartAtLogin(enabled);
      return OK;
    },
    previewSharedFolder: ({ path }) => d.scope.preview(path),
    async addSharedFolder(request) {
      return { ok: true, ...(await d.scope.add(request)) };
    },
    async removeSharedFolder({ path }) {
      await d.scope.remove(path);
      return OK;
    },
    async setSharedFolderMode({ path, mode, confirmBroad }) {
      await d.scope.setMode(path, mode, confirmBroad);
      return OK;
    },
    exportManifest: ({ sessionId }) => d.monitor.manifest(sessionId),
    pickFolder() {
      throw new CoreError('unsupported', 'The folder picker is available in the desktop app; enter the path instead.');
    },
    ...timelineHandlers(d.timeline),
  } satisfies UiHandlers;
}

// ---- Timeline ----
type TimelineMethod = 'timelineQuery' | 'timelineRun' | 'timelineExport';

export function timelineHandlers(t: TimelineUiDeps): Pick<UiHandlers, TimelineMethod> {
  const store = (): NonNullable<TimelineUiDeps['store']> => {
    if (!t.store) throw new CoreError('timeline_unavailable', `The timeline is not available: ${t.unavailable}`);
    return t.store;
  };
  /** A story or an export of a store still being built would leave out what is not in it yet. */
  const whole = <T>(result: T): T => {
    if (!store().complete) throw new CoreError('timeline_indexing', 'The timeline is still being built from the evidence journal (its index was missing or made by an earlier version), so this would leave events out. Try again in a minute.');
    return result;
  };
  return {
    timelineQuery({ filter, limit, before }) {
      if (!t.store) return { available: false, reason: t.unavailable };
      // One more than asked: whether older events exist, without counting them all.
      const rows = t.store.page(storeFilter(filter, limit + 1, before), ROW_ATTRIBUTES);
      const shown = rows.slice(0, limit);
      const last = shown[shown.length - 1];
      return {
        available: true,
        rows: shown.map((r) => timelineRowView(r.event)),
        ...(rows.length > limit && last ? { older: formatCursor(last.cursor) } : {}),
        ...(t.store.complete ? {} : { indexing: true as const }),
      };
    },
    timelineRun({ sessionId }) {
      const { events, truncated } = whole(store().queryWithin({ session: sessionId, limit: TIMELINE_RUN_MAX }, TIMELINE_RUN_MAX_BYTES));
      return { sessionId, steps: runStory(events), truncated };
    },
    timelineExport({ filter, format }) {
      const { events: kept, truncated } = whole(store().queryWithin(storeFilter(filter, TIMELINE_EXPORT_MAX), TIMELINE_EXPORT_MAX_BYTES));
      const file = timelineExport(kept, { format, filter, exportedAt: t.now(), truncated, resource: t.resource(), scopeName: t.scopeName });
      return { ...file, count: kept.length, truncated, max: TIMELINE_EXPORT_MAX };
    },
  };
}

/** Parses `request` against the method's schema, then runs its handler with the parsed value. */
export async function dispatchUiCall<M extends UiMethod>(handlers: UiHandlers, method: M, request: unknown): Promise<UiResponse<M>> {
  if (!Object.hasOwn(uiContract, method)) throw new CoreError('unknown_method', `No UI method ${String(method)}.`);
  const parsed = uiContract[method].request.safeParse(request ?? {});
  if (!parsed.success) throw new CoreError('invalid_request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  // The handler for M takes the output of M's schema: the map's type ties the two together.
  const handler = handlers[method] as (input: typeof parsed.data) => Promise<UiResponse<M>> | UiResponse<M>;
  return handler(parsed.data);
}
