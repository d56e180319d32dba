// The companion's process must not be a way in. Node opens its inspector (full control of the
// process, the UI credential included) on SIGUSR1 or with --inspect flags; the agent runs as the same
// user and can send signals or set NODE_OPTIONS for processes it starts. A SIGUSR1 listener stops Node
// from opening the inspector on that signal; inspect flags are refused outright.

const INSPECT_FLAG = /^--(inspect|inspect-brk|inspect-wait|inspect-port|inspect-publish-uid|debug|debug-brk|debug-port)(=|$)/;

/** The inspector flags among the process's own options and NODE_OPTIONS, if any. */
export function inspectorFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const fromEnv = (nodeOptions ?? '').split(/\s+/).filter(Boolean);
  return [...execArgv, ...fromEnv].filter((arg) => INSPECT_FLAG.test(arg));
}

/**
 * Call first thing in every long-running entry point (serve, start, the Electron main process).
 * Throws when the process was started with an inspector flag.
 */
export function refuseInspector(log: (line: string) => void): void {
  const flags = inspectorFlags(process.execArgv, process.env['NODE_OPTIONS']);
  if (flags.length > 0) {
    throw new Error(`refusing to run with the Node inspector enabled (${flags.join(' ')}): it would let any local process control Cowork Companion`);
  }
  process.on('SIGUSR1', () => log('cowork-companion: SIGUSR1 ignored (the inspector is disabled in Cowork Companion)'));
}
