// --help for the CLI and each command, each with an example.
export const USAGE = `usage: kextbridge [--socket PATH] [--json] <command> [args]

Talks to kextbridged, the daemon that owns the kext's kernel control socket.

commands:
  status                      link state and every pipeline counter
  describe                    the kext's identity and catalog
  health [SERVICE]            SERVING or NOT_SERVING (exit 0 or 3)
  call <command> [payload]    run a command of the kext
  watch <topic...>            print events as they come (Ctrl-C stops)
  get <option>                read an option
  set <option> <value>        set an option
  serve <upcall> -- <program> answer upcalls by running a program
  subscribers                 who is subscribed, with lag and losses

global flags:
  --socket PATH   daemon socket (default: $KEXTBRIDGE_SOCKET, else ${process.platform === 'darwin' ? '/var/run' : '/run'}/kextbridge/kextbridge.sock)
  --json          machine-readable output: one JSON value per line
  --proto FILE    the kext's typed .proto, to give and show payloads as
                  JSON (repeatable; default: $KEXTBRIDGE_PROTO, a
                  colon-separated list; without one, payloads are bytes)
  --timeout MS    deadline of unary calls (default 10000)
  --help          this text, or a command's: kextbridge call --help

exit status: 0 ok, 1 refused by the daemon or kext, 2 bad command line,
3 daemon or kext unavailable, 4 permission denied, 5 no such item,
6 invalid or out-of-range request.`;

export const COMMAND_HELP: Record<string, string> = {
  status: `usage: kextbridge status [--json]

The kext link's state and the daemon's counters for every stage: kernel
datagrams, calls by status, events and losses by source, upcalls, denials.

example:
  kextbridge status --json | jq .counters.lostSubscriber`,
  describe: `usage: kextbridge describe [--json]

The connected kext's identity, protocol version, limits and catalog:
commands, topics, options (type, range) and upcalls, with which are
privileged.

example:
  kextbridge describe`,
  health: `usage: kextbridge health [SERVICE]

grpc.health.v1 status of the daemon ('' by default) or of a service, e.g.
kextbridge.example.v1.Example. Exits 0 when SERVING, 3 otherwise.

example:
  until kextbridge health >/dev/null; do sleep 1; done`,
  call: `usage: kextbridge call <command> [payload] [--hex HEX | --base64 B64 | --file PATH]
       kextbridge call <command> --json '{"field": ...}'

Runs a command of the kext (by name or id). The payload is sent as bytes:
the text given, or --hex, --base64, or --file (- for stdin). With --json and
a JSON object as payload, the payload is the command's typed request
message (from --proto); the reply is shown decoded when its type is known.

examples:
  kextbridge call echo --json '{"data": "aGVsbG8="}'
  kextbridge call stats --json | jq .reply.framesIn
  kextbridge call 1 --hex 0a026869`,
  watch: `usage: kextbridge watch <topic...> [--since SEQ] [--policy drop-oldest|drop-newest|disconnect]
                       [--queue N] [--count N]

Prints each event of the topics as "seq topic event", decoded as JSON when
the topic's type is known. Loss is shown where it happened ("LOST n events,
seq a..b: why"). --since resumes from a seq; --count stops after N events;
Ctrl-C stops cleanly. If the daemon goes away it reconnects and resumes.

example:
  kextbridge watch heartbeat --count 3
  kextbridge watch exec --since 1200 --policy drop-newest --json`,
  get: `usage: kextbridge get <option>

Reads an option of the kext (by name or id).

example:
  kextbridge get log_level`,
  set: `usage: kextbridge set <option> <value>

Sets an option; the value is read as the option's type (bool: true/false,
integer, string, bytes as hex). Out-of-range values are refused before they
reach the kext.

example:
  kextbridge set log_level 3`,
  serve: `usage: kextbridge serve <upcall> -- <program> [args...]
       kextbridge serve <upcall> --module handler.js [--raw]

Registers as a handler of the upcall and answers each question. A program
runs once per question with the question on stdin (JSON when the upcall's
type is known, else raw bytes; --raw forces bytes) and
KEXTBRIDGE_UPCALL, KEXTBRIDGE_UPCALL_ID, KEXTBRIDGE_TIMEOUT_MS set; exit 0
with the answer on stdout answers, anything else (or running past the
timeout) lets the kext's default apply. A module exports
async (question, {id, timeoutMs}) => answer.

example:
  kextbridge serve authorize_exec -- sh -c 'grep -q /usr/bin/ && echo "{\\"allow\\": true}" || echo "{}"'`,
  subscribers: `usage: kextbridge subscribers [--json]

Every live subscriber: uid, pid, topics, overflow policy, queued events,
lag behind the newest seq, delivered and lost. Root and the admin group
only (it shows other users' processes).

example:
  kextbridge subscribers`,
};
