#!/usr/bin/env node
// kextbridge: the command-line client of kextbridged.
import { parseArgs } from 'node:util';

import { KextBridgeClient } from '../client';
import { KextBridgeError } from '../errors';
import { typedLoader, type Context } from './context';
import { EXIT, UsageError, exitCodeFor } from './exit-codes';
import { commandHelp, usage } from './help';
import { COMMANDS } from './commands';

const GLOBAL_OPTIONS = {
  socket: { type: 'string' },
  json: { type: 'boolean' },
  proto: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

// Every command's flags are parsed alike; a flag of another command is
// then refused by name.
const OPTIONS = Object.assign({}, ...COMMANDS.map((c) => c.flags), GLOBAL_OPTIONS) as Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

export async function run(argv: string[], out: (s: string) => void, err: (s: string) => void, signal: AbortSignal): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    err(`kextbridge: ${(e as Error).message}\n(kextbridge --help lists commands and flags)`);
    return EXIT.USAGE;
  }
  const [name, ...args] = parsed.positionals;
  const flags = parsed.values as Context['flags'];
  if (!name) {
    (flags['help'] ? out : err)(usage());
    return flags['help'] ? EXIT.OK : EXIT.USAGE;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    err(`kextbridge: no command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    return EXIT.USAGE;
  }
  if (flags['help']) {
    out(commandHelp(command));
    return EXIT.OK;
  }
  const stray = Object.keys(flags).filter((f) => flags[f] !== undefined && !(f in GLOBAL_OPTIONS) && !(f in command.flags));
  if (stray.length > 0) {
    err(`kextbridge ${name}: --${stray[0]} is not a flag of ${name} (kextbridge ${name} --help)`);
    return EXIT.USAGE;
  }
  const timeout = flags['timeout'];
  if (timeout !== undefined && !/^\d+$/.test(String(timeout))) {
    err(`kextbridge: --timeout takes milliseconds, not "${String(timeout)}"`);
    return EXIT.USAGE;
  }
  const client = new KextBridgeClient({
    ...(typeof flags['socket'] === 'string' ? { socket: flags['socket'] } : {}),
    ...(timeout !== undefined ? { deadlineMs: Number(timeout) } : {}),
  });
  const ctx: Context = { client, json: Boolean(flags['json']), args, flags, signal, out, err, typed: typedLoader(client, flags['proto'] as string[] | undefined, err) };
  try {
    return await command.run(ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`kextbridge ${name}: ${e.message}`);
      return EXIT.USAGE;
    }
    const k = KextBridgeError.from(e);
    const hint = k.code === 14 && /connect|No connection|ENOENT|ECONNREFUSED/i.test(k.details) ? ` (is kextbridged running on ${client.socket}? --socket or $KEXTBRIDGE_SOCKET)` : '';
    if (ctx.json) err(JSON.stringify({ error: { code: k.code, codeName: k.codeName, details: k.details } }));
    else err(`kextbridge ${name}: ${k.codeName}: ${k.details}${hint}`);
    return exitCodeFor(k);
  } finally {
    client.close();
  }
}

// The process as the `kextbridge` command: argv in, exit status out.
export function runAsCommand(): void {
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  process.once('SIGTERM', () => ac.abort());
  run(process.argv.slice(2), (s) => process.stdout.write(s + '\n'), (s) => process.stderr.write(s + '\n'), ac.signal).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`kextbridge: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(EXIT.FAILED);
    },
  );
}

if (require.main === module) runAsCommand();
