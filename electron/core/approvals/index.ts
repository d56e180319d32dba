// Approvals: the pending queue a person decides (broker), remembered rules, and what is decided
// without a person (scope, then rules).
export { ApprovalsBrokerService, type PreviewDetail, type Settlement, type StoredEntry, type Submitted } from './approvals-broker-service.js';
export { stateTamperedEvent, type PersonIdentity } from './approval-evidence.js';
export { automaticDecisionPolicy } from './automatic-decision-policy.js';
export { loadPending, restorePending } from './pending-store.js';
export { offerRule, proposeRule, ruleMatches, type RuleContext, type RuleOffer } from './rule-matching-policy.js';
export { RulesService } from './rules-service.js';
