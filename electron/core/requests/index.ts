// Requests: a tool call resolved once (catalogue entry, named files, display, hashes) and what a
// policy may answer for it.
export type { ApprovalPolicy, PolicyOutcome } from './approval-policy.js';
export { actionKey, contentHash, resolveRequest, type ResolveContext, type ResolvedRequest, type ToolCall } from './resolved-request.js';
export { looksLikePathArgument, pathLikeArguments, type ArgumentPaths, type FileTarget, type ToolTargets } from './tool-targets-policy.js';
export type { UserHomeLookup } from './bash-targets-policy.js';
export { systemUserHomes } from './user-home-lookup.js';
export { cardPreview, changePreview, previewRef } from './change-preview-policy.js';
export { readPreviewFile, type PreviewFile } from './preview-file-reader.js';
