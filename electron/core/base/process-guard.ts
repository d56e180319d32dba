// The companion's process must not be a way in. Node opens its inspector (full control of the
// process, the UI credential included) on SIGUSR1 or with --inspect flags; the agent runs as the same
// user and can send signals or set NODE_OPTIONS for processes it starts. A SIGUSR1 listener stops Node
// from opening the inspector on that signal; inspect flags are refused outright.

const INSPECT_FLAG = /^--(inspect|inspect-brk|inspect-wait|inspect-port|inspect-publish-uid|debug|debug-brk|debug-port)(=|$)/;

/** NODE_OPTIONS split as Node splits it: on white space, with double quotes grouping (and dropped). */
function nodeOptionWords(nodeOptions: string): string[] {
  const words: string[] = [];
  let word = '';
  let quoted = false;
  let has = false;
  for (let i = 0; i < nodeOptions.length; i++) {
    const ch = nodeOptions[i]!;
    if (ch === '\\' && quoted && i + 1 < nodeOptions.length) {
      word += nodeOptions[++i];
    } else if (ch === '"') {
      quoted = !quoted;
      has = true;
    } else if (/\s/.test(ch) && !quoted) {
      if (has || word) words.push(word);
      word = '';
      has = false;
    } else word += ch;
  }
  if (has || word) words.push(word);
  return words;
}

/** Node takes `_` for `-` in option names (`--inspect_brk`): compare names in one spelling. */
const normalName = (arg: string): string => {
  if (!arg.startsWith('--')) return arg;
  const eq = arg.indexOf('=');
  return eq < 0 ? arg.replaceAll('_', '-') : `${arg.slice(0, eq).replaceAll('_', '-')}${arg.slice(eq)}`;
};

/** The inspector flags among the process's own options and NODE_OPTIONS, if any. */
export function inspectorFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  return [...execArgv, ...nodeOptionWords(nodeOptions ?? '')].filter((arg) => INSPECT_FLAG.test(normalName(arg)));
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
