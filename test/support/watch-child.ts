// Runs the file watcher in a child process, so a test can give it kernel limits or privileges the
// test runner does not have (a lowered inotify limit in a user namespace, no DAC override). Bundled
// by esbuild at test time. Input: one JSON argument; output: one JSON line on stdout.
//   { home, shared: string[], writes: { inside: string[], outside: string[] } }
//   → { status, manifestPaths, outOfScopePaths, errors }
import { writeFileSync } from 'node:fs';
import { canonicalizerFor } from '../../electron/core/paths/canonical-path.js';
import { FileWatcherService } from '../../electron/core/watch/file-watcher-service.js';
import { watchPortFor } from '../../electron/core/watch/watch-port-for.js';
import type { OutOfScopeChange } from '../../electron/core/watch/watch-status.js';
import { volumeRulesFor } from '../../electron/core/paths/path-containment-policy.js';
import { RunTrackerService } from '../../electron/core/watch/run-tracker-service.js';
import { systemClock } from '../../electron/core/base/system-clock.js';

interface ChildInput {
  home: string;
  dataDir: string;
  shared: string[];
  writes: { inside: string[]; outside: string[] };
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as ChildInput;
  const canonicalize = canonicalizerFor('linux');
  const runs = new RunTrackerService({ clock: systemClock });
  const out: OutOfScopeChange[] = [];
  const errors: string[] = [];
  const watcher = new FileWatcherService({
    runs,
    scope: {
      state: () => ({ folders: input.shared.map((path) => ({ path, mode: 'read-write' as const })), forbidden: [], outOfScope: 'deny', mcpPathArguments: {}, home: input.home, volume: volumeRulesFor('linux') }),
      onChange: () => () => undefined,
    },
    evidence: { record: async () => undefined },
    clock: systemClock,
    canonicalize,
    dataDir: input.dataDir,
    port: watchPortFor(process.platform),
    onError: (e) => errors.push(String(e)),
  });
  watcher.onOutOfScope((c) => out.push(c));
  runs.observe({ hook_event_name: 'SessionStart', session_id: 's', cwd: input.home });
  const settled = watcher.whenSettled();
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('not settled in 15 s')), 15_000));
  await Promise.race([settled, timeout]);
  const status = watcher.status();
  for (const f of [...input.writes.inside, ...input.writes.outside]) writeFileSync(f, 'x');
  const want = input.writes.inside.length + input.writes.outside.length;
  const start = Date.now();
  const seen = (): number => (watcher.manifest('s')?.files.length ?? 0) + out.length;
  while (seen() < want && Date.now() - start < 3000) await new Promise((r) => setTimeout(r, 20));
  const manifestPaths = watcher.manifest('s')?.files.map((f) => f.path) ?? [];
  runs.close();
  await watcher.close();
  process.stdout.write(`${JSON.stringify({ status, manifestPaths, outOfScopePaths: out.map((c) => c.path), errors })}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stdout.write(`${JSON.stringify({ fatal: String((error as Error)?.stack ?? error) })}\n`);
    process.exit(1);
  },
);
