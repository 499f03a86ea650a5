// `kextbridge --help` and `kextbridge COMMAND --help`, built from the
// commands themselves (commands/index.ts).
import { defaultSocketPath } from '@kextbridge/protocol';
import type { Command } from './command';
import { COMMANDS } from './commands';

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} ${c.synopsis}`.length));
  const list = COMMANDS.map((c) => `  ${`${c.name} ${c.synopsis}`.padEnd(width)}  ${c.summary}`).join('\n');
  return `usage: kextbridge [--socket PATH] [--json] <command> [args]

Talks to kextbridged, the daemon that owns the kext's kernel control socket.

commands:
${list}

global flags:
  --socket PATH   daemon socket (default: $KEXTBRIDGE_SOCKET, else ${defaultSocketPath()})
  --json          machine-readable output: one JSON value per line
  --proto FILE    the kext's typed .proto, instead of the types the daemon
                  serves (payloads are given and shown as JSON either way);
                  where it disagrees with the daemon's, each field is named
                  (repeatable; default: $KEXTBRIDGE_PROTO, a colon-separated
                  list; without either, the daemon's types)
  --timeout MS    deadline of unary calls (default 10000)
  --help          this text, or a command's: kextbridge call --help

exit status: 0 ok, 1 refused by the daemon or kext, 2 bad command line,
3 daemon or kext unavailable, 4 permission denied, 5 no such item,
6 invalid or out-of-range request.`;
}

export function commandHelp(c: Command): string {
  return `${c.help}\n\nwho may run it: ${c.who}.`;
}
