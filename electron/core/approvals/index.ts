// Approvals: the pending queue a person decides (broker), remembered rules, and what is decided
// without a person (deny rules, scope, ask rules, allow rules: see automatic-decision-policy.ts).
export { ApprovalsBrokerService, type PreviewDetail, type Settlement, type StoredEntry, type Submitted } from './approvals-broker-service.js';
export { stateTamperedEvent, type PersonIdentity } from './approval-evidence.js';
export { automaticDecisionPolicy } from './automatic-decision-policy.js';
export { loadPending, restorePending } from './pending-store.js';
export { gateMatches, offerRule, proposeRule, ruleMatches, toolMatches, type GateMatch, type RuleContext, type RuleOffer } from './rule-matching-policy.js';
export { RulesService } from './rules-service.js';
