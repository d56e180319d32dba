// The CLI's command names, with nothing else loaded: cli-program.ts dispatches exactly these (its
// switch fails to compile when one is left out), and the packaged app's main process checks its
// command line against them before it decides whether to start the tray or run a command.
export const CLI_COMMANDS = ['start', 'serve', 'hook', 'scope', 'connect', 'disconnect', 'policy', 'doctor', 'timeline'] as const;
export type CliCommand = (typeof CLI_COMMANDS)[number];

export function isCliCommand(name: string): name is CliCommand {
  return (CLI_COMMANDS as readonly string[]).includes(name);
}

/** What `cowork-companion <command>` runs through the packaged app's binary: every command but serve
 *  and start, which are the app itself. */
export const APP_CLI_COMMANDS: readonly CliCommand[] = CLI_COMMANDS.filter((c) => c !== 'start' && c !== 'serve');
