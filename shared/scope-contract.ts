// Shared-folder scope: schemas used by the core, the CLI and the UI (the managed policy that bounds
// it is in managed-policy-contract.ts).
import { z } from 'zod';

export const ScopeModeSchema = z.enum(['read', 'read-write']);
export type ScopeMode = z.infer<typeof ScopeModeSchema>;

export const SharedFolderSchema = z.object({
  /** Canonical absolute path (symlinks resolved when shared). */
  path: z.string().min(1).max(4096),
  mode: ScopeModeSchema,
  label: z.string().max(200).default(''),
  addedAt: z.string(),
  /** ISO time after which the folder is no longer shared. */
  expiresAt: z.string().optional(),
});
export type SharedFolder = z.infer<typeof SharedFolderSchema>;

export const ScopeEntryViewSchema = z.object({
  path: z.string(),
  mode: ScopeModeSchema,
  label: z.string(),
  expiresAt: z.string().optional(),
  /** Set by managed policy: shown with a lock, cannot be changed by the user. */
  locked: z.boolean(),
  lockReason: z.string().optional(),
  /** The folder no longer exists or is now a link elsewhere. */
  problem: z.string().optional(),
});
/** Why sharing a folder is broad enough to confirm first (see electron/core/scope/broad-share-policy.ts):
 *  the top of a disk, the folder holding everyone's home folders, the person's home folder (or one
 *  containing it), an operating-system folder, or only that protected locations lie inside it. */
export const BROAD_SHARE_KINDS = ['root', 'homes', 'home', 'system', 'protected-inside'] as const;
export const BroadShareSchema = z.object({
  kind: z.enum(BROAD_SHARE_KINDS),
  /** Protected locations inside the folder (they stay blocked; everything around them is shared). */
  protectedInside: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type BroadShare = z.infer<typeof BroadShareSchema>;

/** What sharing a folder again changed (nothing, when mode, label and expiry are the same). */
export const SHARED_FOLDER_FIELDS = ['mode', 'label', 'expiresAt'] as const;
export const ShareOutcomeSchema = z.object({
  outcome: z.enum(['added', 'updated', 'unchanged']),
  changed: z.array(z.enum(SHARED_FOLDER_FIELDS)),
  /** The folder as it was before an update. */
  previous: SharedFolderSchema.optional(),
});

export type ScopeEntryView = z.infer<typeof ScopeEntryViewSchema>;

export const ScopeViewSchema = z.object({
  folders: z.array(ScopeEntryViewSchema),
  forbidden: z.array(z.object({ path: z.string(), reason: z.string() })),
  allowedRoots: z.array(z.string()).optional(),
  allowUserFolders: z.boolean(),
  policySource: z.string().optional(),
  policyError: z.string().optional(),
  organization: z.object({ name: z.string(), contact: z.string().optional() }).optional(),
});
export type ScopeView = z.infer<typeof ScopeViewSchema>;
