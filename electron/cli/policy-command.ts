// `cowork-companion policy generate|show|check`: what IT needs before and after a rollout. Each
// subcommand lives in its own module, loaded only when asked for.
export interface PolicyCommandOptions {
  /** generate: the folder the templates are written to. */
  out?: string;
  /** show: the explicit policy file (--policy), instead of this machine's managed locations. */
  policyFile?: string;
  json: boolean;
  stdout: NodeJS.WritableStream;
}

export class PolicyCommandError extends Error {}

export const POLICY_SUBCOMMANDS = ['generate', 'show', 'check'] as const;

export async function runPolicyCommand(sub: string | undefined, args: readonly string[], o: PolicyCommandOptions): Promise<number> {
  switch (sub) {
    case 'generate': {
      if (args.length > 0) throw new PolicyCommandError(`unexpected argument "${args[0]}"`);
      const { runPolicyGenerate } = await import('./policy-generate-command.js');
      return runPolicyGenerate(o);
    }
    case 'show':
      if (args.length > 0) throw new PolicyCommandError(`unexpected argument "${args[0]}"`);
      return (await import('./policy-show-command.js')).runPolicyShow(o);
    case 'check':
      if (args.length !== 1) throw new PolicyCommandError('policy check needs one FILE');
      return (await import('./policy-show-command.js')).runPolicyCheck(args[0]!, o);
    default:
      throw new PolicyCommandError(sub === undefined ? `policy needs one of: ${POLICY_SUBCOMMANDS.join(', ')}` : `unknown policy command "${sub}" (one of: ${POLICY_SUBCOMMANDS.join(', ')})`);
  }
}
