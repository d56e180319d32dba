// Paths: what the OS would act on (canonical form) and whether it lies inside a folder, on every OS.
export { canonicalizerFor, type Canonicalize } from './canonical-path.js';
export type { CanonicalPath } from './path-canonicalizer.js';
export { comparisonKey, isWithin, volumeRulesFor, type VolumeRules } from './path-containment-policy.js';
