// Policy: the managed policy IT deploys — where it lives, whether the user could have changed it —
// loaded, kept when broken, and watched for changes.
export { EMPTY_POLICY, ManagedPolicyService, openManagedPolicy, POLICY_CHECK_INTERVAL_MS, REGISTRY_CHECK_INTERVAL_MS } from './managed-policy-service.js';
export { PolicyOverrideError, sourceWhere, systemPolicySources, type PolicySourceSpec, type RegistryHive, type RegistryQuery } from './policy-sources.js';
export { readPolicyText } from './policy-file-policy.js';
export { FAIL_CLOSED_POLICY, policyChangedEvent, policyReportLines, policyStatusView, problemText, type PolicyState } from './policy-status-policy.js';
export { untrustedPolicyReason, type WindowsTrustChecks } from './policy-file-trust.js';
export { checkPolicyBytes, type PolicyCheckReport } from './policy-check-policy.js';
export { USER_SOURCE_RULES, type UserSourceRule } from './user-source-policy.js';
export { ruleFitWarnings, ruleMissText } from './policy-rule-fit-policy.js';
