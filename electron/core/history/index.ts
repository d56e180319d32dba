// History: what a person saw before a restart (recent decisions, runs, out-of-scope alerts), rebuilt
// from the evidence journal at start, and the local store of what each decided action named.
export { DecisionTargetsStore, DECISION_TARGETS_FILE } from './decision-targets-store.js';
export { DAY_MS, journalHistory, type JournalHistory, type PastRun } from './journal-history-policy.js';
