// The core's public face: what the Electron shell and the headless CLI both drive.
import type { Snapshot, UiMethod, UiResponse } from '../../../shared/ui-contract.js';
import type { Clock, SettingsStorePort } from '../base/index.js';
import type { EvidenceTuning } from '../evidence/index.js';
import type { KeyProtector } from '../integrity/index.js';
import type { ApprovalPolicy } from '../requests/index.js';
import type { TimelineFollowStatus } from '../timeline/index.js';
import type { WatcherPort } from '../watch/index.js';

export type { Clock, SettingsStorePort };

export interface CompanionCoreOptions {
  /** Absolute folder for token, journal and settings. */
  dataDir: string;
  /** Port of the loopback server (agent API and, when enabled, the web UI). 0 = any free port. */
  port?: number;
  /** How long a hook waits for a person before the answer is a deny (ms). Overrides settings. */
  decisionBudgetMs?: number;
  /** Serve the web UI (headless mode) from this folder (the built renderer). */
  webUi?: { staticDir: string } | false;
  settingsStore?: SettingsStorePort;
  /** Replaces the scope policy (tests, bench). */
  policy?: ApprovalPolicy;
  /** Managed policy file (--policy); default: the OS's system path, which may be absent. */
  policyFile?: string;
  /** For tests: the home folder and platform whose conventions apply. */
  home?: string;
  platform?: NodeJS.Platform;
  clock?: Clock;
  env?: Record<string, string | undefined>;
  /** Watch files while agent runs are active (default true; managed policy can turn it off too). */
  watch?: boolean;
  /** The watcher backend (tests inject errors here). */
  watchPort?: WatcherPort;
  /** Evidence delivery tuning (tests, bench). */
  evidence?: EvidenceTuning;
  /** The desktop app can register itself to start at login (the packaged Electron app); default false. */
  startAtLoginAvailable?: boolean;
  /** The OS keystore that protects the integrity key (Electron's safeStorage where it is backed by one). */
  keyProtector?: KeyProtector;
}

export interface CompanionCore {
  readonly dataDir: string;
  readonly agentApiUrl: string;
  /** Web UI address with a one-time pairing token (fragment); undefined when the web UI is off. */
  readonly uiUrl: string | undefined;
  /** A fresh one-time address (each works once: browsers keep visited addresses in their history). */
  newUiUrl(): string | undefined;
  readonly tokenFile: string;
  /** Where the timeline follows the journal: a worker thread, or the main thread (why, in `reason`);
   *  off when its store could not open. */
  readonly timelineFollowing: TimelineFollowStatus | { mode: 'off'; reason: string };
  /** Parse `request` against the contract, then run it. Throws CoreError on bad input. */
  callUi<M extends UiMethod>(method: M, request: unknown): Promise<UiResponse<M>>;
  getSnapshot(): Snapshot;
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
  /** Stop accepting requests, deny what is pending, flush telemetry. */
  close(): Promise<void>;
}
