// What a CLI command is: its name, the line it has in `kextbridge --help`,
// its own help text and flags, who may run it, and the function that runs
// it. Each command is one file of commands/, listed once in commands/index.ts.
import type { Context } from './context';

export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
}

export interface Command {
  name: string;
  // The argument synopsis after the name, for the command list.
  synopsis: string;
  // One line for the command list.
  summary: string;
  // `kextbridge NAME --help`: usage lines, what it does, examples.
  help: string;
  // Who the daemon lets run it; every call is also checked by the policy.
  who: string;
  flags: Record<string, FlagSpec>;
  run(ctx: Context): Promise<number>;
}

export const ANY_USER = 'any user the policy allows for the items named';
