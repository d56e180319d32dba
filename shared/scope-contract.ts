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
