// Mirrors the core's latest snapshot. Decisions go through the bridge and are never applied
// locally: the next pushed snapshot is what changes the view. Local state is only what the core
// cannot know: display order, calls in flight, call errors, the screen-reader announcement and which
// integrity alerts the person has acknowledged (view state: the core's alerts stay as they are).
import { create } from 'zustand';
import type { ApprovalItem, IntegrityAlert, RuleShape, Snapshot, UiMethod, UiRequest, UiResponse } from '../../../shared/ui-contract.js';
import { describeError, type ConnectionState, type RendererBridge } from '../bridge/renderer-bridge.js';
import { displayIds, groupByRun, reuseGroups, runIds, type RunGroup } from '../group-by-run.js';
import { effectiveLanguage, i18nFor } from '../i18n/translator.js';
import { jsonEqual } from '../json-equal.js';
import { mergeOrder } from '../order-pending.js';
import { reuseUnchanged } from '../reuse-unchanged.js';
import { acknowledgedKeys } from '../unseen-integrity-alerts.js';
import { announceChanges } from './announce-changes.js';

export type Decision = 'approve' | 'deny' | 'hold';
/** How long an approval lasts: this request, this run, or always (a rule). */
export type Grant = 'once' | 'run' | 'always';

export interface DecideOptions {
  /** Shown to the agent (deny only). */
  reason?: string;
  /** Default once. Deny "always" saves a deny or ask rule ("Always deny…"). */
  grant?: Grant;
  /** The rule as the person edited it (grant "always"). */
  rule?: RuleShape;
}

/** What a card is doing while a call is in flight (its buttons say so). */
export type Busy = Decision | 'approve-run' | 'approve-always';

export interface CompanionState {
  bridge: RendererBridge | null;
  snapshot: Snapshot | null;
  /** Pending ids in display order (new ones appended; see mergeOrder). */
  order: string[];
  /** Run (session) ids in display order, kept stable the same way. */
  runOrder: string[];
  /** The Inbox's runs with their requests, in display order. A group, an item (also in
   *  `snapshot.pending`) and these arrays keep their identity while they show the same. */
  groups: RunGroup[];
  /** Pending ids as shown, run by run (moving between cards, focus after a card leaves). */
  displayIds: string[];
  /** Server clock minus local clock, from the last snapshot. */
  clockOffsetMs: number;
  connection: ConnectionState;
  /** Call in flight per approval id. */
  busy: Record<string, Busy>;
  /** Last failed call per approval id, as a message for the person. */
  errors: Record<string, string>;
  /** Text for the ARIA live region; `seq` changes so a repeated message is announced again. */
  announcement: { text: string; seq: number };
  /** Which transport is underneath (the native folder picker exists only in Electron). */
  transport: 'electron' | 'web';
  /** Integrity alerts the person acknowledged this session ("Got it"), by the id of each alert. Only
   *  what the banner shows depends on it: nothing is sent to the core. */
  integrityAcknowledged: string[];
  connect(bridge: RendererBridge, transport: 'electron' | 'web'): () => void;
  receiveSnapshot(snapshot: Snapshot): void;
  decide(decision: Decision, item: ApprovalItem, options?: DecideOptions): Promise<void>;
  /** The person has read these integrity alerts (the ones on screen): the banner folds until a new one. */
  acknowledgeIntegrity(shown: readonly IntegrityAlert[]): void;
  /** Any other contract call (runs, rules, settings, shared folders); throws with a message fit to show. */
  call<M extends UiMethod>(method: M, request: UiRequest<M>): Promise<UiResponse<M>>;
}

export const useCompanionStore = create<CompanionState>()((set, get) => ({
  bridge: null,
  snapshot: null,
  order: [],
  runOrder: [],
  groups: [],
  displayIds: [],
  clockOffsetMs: 0,
  connection: 'connecting',
  busy: {},
  errors: {},
  announcement: { text: '', seq: 0 },
  transport: 'web',
  integrityAcknowledged: [],

  connect(bridge, transport) {
    set({ bridge, transport });
    const offSnapshot = bridge.onSnapshot((s) => get().receiveSnapshot(s));
    const offConnection = bridge.onConnection?.((connection) => set({ connection }));
    // The push channel may only speak on change, so ask once; the version check drops stale answers.
    bridge
      .getSnapshot({})
      .then((s) => {
        get().receiveSnapshot(s);
        if (!bridge.onConnection) set({ connection: 'live' });
      })
      .catch((error: unknown) => console.warn('getSnapshot failed:', describeError(error)));
    return () => {
      offSnapshot();
      offConnection?.();
    };
  },

  receiveSnapshot(incoming) {
    const state = get();
    const { snapshot: previous, clockOffsetMs, busy, errors, announcement } = state;
    if (previous && incoming.version < previous.version) return;
    // A snapshot lists every pending request; one decision changes one of them. Reusing the objects
    // of the rest is what lets a thousand cards stay untouched when one leaves.
    const pending = reuseUnchanged(previous?.pending ?? [], incoming.pending);
    const snapshot = pending === incoming.pending ? incoming : { ...incoming, pending };
    // Most snapshots change something else (evidence, recent decisions): then the Inbox stays as is.
    const same = previous !== null && pending === previous.pending && jsonEqual(previous.pausedRuns, snapshot.pausedRuns) && jsonEqual(previous.escalations, snapshot.escalations);
    const live = new Set(pending.map((p) => p.id));
    const keep = <T>(record: Record<string, T>): Record<string, T> =>
      Object.fromEntries(Object.entries(record).filter(([id]) => live.has(id)));
    const lang = effectiveLanguage(snapshot.settings.language);
    const text = same ? undefined : announceChanges(previous, snapshot, i18nFor(lang));
    // The live region is read again when a screen reader reaches it: once the queue or the language
    // changed, what it said before (a count, a sentence in the other language) is no longer true.
    const stale = !same || (previous !== null && effectiveLanguage(previous.settings.language) !== lang);
    const serverNow = Date.parse(snapshot.serverTime);
    const offset = Number.isFinite(serverNow) ? serverNow - Date.now() : 0;
    set({
      snapshot,
      ...(same ? {} : arrange(state, snapshot)),
      // Network jitter of a few milliseconds is no news: every countdown would redraw for it.
      clockOffsetMs: Math.abs(offset - clockOffsetMs) < OFFSET_JITTER_MS ? clockOffsetMs : offset,
      busy: Object.fromEntries(Object.entries(busy).filter(([id, d]) => !reflected(d, id, snapshot))),
      errors: keep(errors),
      announcement: text ? { text, seq: announcement.seq + 1 } : stale ? { text: '', seq: announcement.seq } : announcement,
    });
  },

  async decide(decision, item, options = {}) {
    const { bridge, busy } = get();
    if (!bridge || busy[item.id]) return;
    const grant = decision !== 'hold' ? (options.grant ?? 'once') : undefined;
    const shown: Busy = decision === 'approve' && grant === 'run' ? 'approve-run' : decision === 'approve' && grant === 'always' ? 'approve-always' : decision;
    set((s) => ({ busy: { ...s.busy, [item.id]: shown }, errors: omit(s.errors, item.id) }));
    const ref = { id: item.id, contentHash: item.contentHash };
    try {
      if (decision === 'approve') {
        // "once" goes as before (no grant field), so an older core understands it too.
        await bridge.approve(grant === 'once' ? ref : { ...ref, grant: grant!, ...(options.rule ? { rule: options.rule } : {}) });
      } else if (decision === 'hold') await bridge.hold(ref);
      else {
        const reason = options.reason?.trim();
        const rule = grant !== 'once' ? { grant: grant!, ...(options.rule ? { rule: options.rule } : {}) } : {};
        await bridge.deny({ ...ref, ...(reason ? { reason } : {}), ...rule });
      }
    } catch (error) {
      set((s) => ({ busy: omit(s.busy, item.id), errors: { ...s.errors, [item.id]: describeError(error) } }));
      return;
    }
    // Stay busy until a snapshot shows the decision, so the buttons do not flicker back on;
    // give up after a while in case the push was lost.
    const { snapshot } = get();
    if (snapshot && reflected(shown, item.id, snapshot)) set((s) => ({ busy: omit(s.busy, item.id) }));
    else setTimeout(() => set((s) => ({ busy: omit(s.busy, item.id) })), SETTLE_TIMEOUT_MS);
  },

  acknowledgeIntegrity(shown) {
    set({ integrityAcknowledged: acknowledgedKeys(shown) });
  },

  async call(method, request) {
    const { bridge } = get();
    if (!bridge) throw new Error('Not connected to the companion.');
    try {
      const fn = bridge[method] as unknown as (r: UiRequest<typeof method>) => Promise<UiResponse<typeof method>>;
      return await fn(request);
    } catch (error) {
      throw new Error(describeError(error));
    }
  },
}));

/** Display order and run groups for `snapshot`: what was shown keeps its place, new requests and runs
 *  go to the end (order-pending.ts), and groups that show the same keep their identity. */
function arrange(
  state: Pick<CompanionState, 'order' | 'runOrder' | 'groups' | 'displayIds'>,
  snapshot: Snapshot,
): Pick<CompanionState, 'order' | 'runOrder' | 'groups' | 'displayIds'> {
  const { pending, pausedRuns, escalations } = snapshot;
  const order = mergeOrder(state.order, pending.map((p) => p.id));
  const runOrder = mergeOrder(state.runOrder, runIds(order, pending, pausedRuns, escalations));
  const groups = reuseGroups(state.groups, groupByRun(runOrder, order, pending, pausedRuns, escalations));
  return { order, runOrder, groups, displayIds: groups === state.groups ? state.displayIds : displayIds(groups) };
}

const SETTLE_TIMEOUT_MS = 3000;
/** Clock offset changes smaller than this are kept out of the state (countdowns show seconds). */
const OFFSET_JITTER_MS = 100;

/** Whether `snapshot` already shows `decision` on item `id` (it is gone, or held for a hold). */
function reflected(decision: Busy, id: string, snapshot: Snapshot): boolean {
  const item = snapshot.pending.find((p) => p.id === id);
  return !item || (decision === 'hold' && item.held);
}

function omit<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const { [key]: _removed, ...rest } = record;
  return rest;
}
