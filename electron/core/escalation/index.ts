export { countedSignals, ESCALATION_DECISION_RULE, escalatedOutcome, firingRules, prunedSignals, signalHorizonMs, signalsOfEvidence, strongestAction, type EscalationSignal, type RuleFiring, type RunRuleState } from './escalation-policy.js';
export { contactText, escalationWhy, EscalationService, type EscalationServiceDeps, type RunEscalation } from './escalation-service.js';
