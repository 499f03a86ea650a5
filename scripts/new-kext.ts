// `npm run new-kext -- NAME`: lays out a new kext the build finds at once:
// kext/NAME/kext.mk, kext/NAME/NAME.c (a descriptor, a lock, one command)
// and proto/NAME/v1/NAME.proto. docs/kext-authors.md's tutorial starts here.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { ROOT } from './lib/processes';

const USAGE = `usage: npm run new-kext -- NAME [--identity ID] [--root DIR]

Creates kext/NAME (kext.mk and NAME.c) and proto/NAME/v1/NAME.proto: a kext
with one command, ping, that the next npm run build compiles into kextsim.

  NAME           lower-case C identifier (it prefixes the kext's C names)
  --identity ID  reverse DNS identity, also the kernel control's name
                 (default com.example.NAME)
  --root DIR     the checkout to create it in (default: this one)
`;

function pascal(name: string): string {
  return name.replace(/(^|_)([a-z0-9])/g, (_m, _u, c: string) => c.toUpperCase());
}

function proto(name: string): string {
  const Service = pascal(name);
  return `syntax = "proto3";

// The ${name} kext's typed API. Its C (catalog, message structs, codecs,
// handler prototypes) is generated from this file by the build, and
// kextbridged serves it from this file alone: docs/kext-authors.md.
package ${name}.v1;

import "kextbridge/v1/options.proto";

service ${Service} {
  // How many pings the kext has answered, this one included.
  rpc Ping(PingRequest) returns (PingReply) {
    option (kextbridge.v1.kernel) = { command: 1, name: "ping" };
  }
}

message PingRequest {}

message PingReply {
  uint64 pings = 1;
}
`;
}

function kextMk(name: string, protoPath: string, identity: string): string {
  return `# The ${name} kext, as the build finds it (kext/gen.mk).
KEXT_PROTO    := ${protoPath}
KEXT_IDENTITY := ${identity}
KEXT_VERSION  := 0.1.0
`;
}

function source(name: string): string {
  return `/*
 * The ${name} kext. Catalog, message structs and codecs: gen/${name}.pb.h,
 * generated from its .proto by the build. Handlers run on the thread that
 * delivered the daemon's datagram: answer at once, never block.
 */
#include <kextbridge/kext.h>

#include "gen/${name}.pb.h"

struct ${name} {
	struct kb_engine *engine;
	struct kb_kext_env env;
	struct kb_mutex *mu;    /* guards what handlers, workers and tick share */
	uint64_t pings;
};

static struct ${name} state;

void ${name}_ping(struct kb_engine *e, void *arg, const struct kb_call *call,
	${' '.repeat(name.length + 3)}const ${name}_PingRequest *req)
{
	struct ${name} *s = arg;
	${name}_PingReply reply;

	(void)req;
	s->env.lock(s->mu);
	reply.pings = ++s->pings;
	s->env.unlock(s->mu);
	${name}_ping_reply(e, call->token, &reply);
}

static const struct kb_catalog *catalog(void)
{
	return ${name}_catalog(&state);
}

static int start(struct kb_engine *e, const struct kb_kext_env *env)
{
	state.engine = e;
	state.env = *env;
	state.mu = env->mutex_new();
	state.pings = 0;
	return state.mu ? KB_R_OK : KB_R_INVAL;
}

static void stop(void)
{
	state.env.mutex_free(state.mu);
	state.mu = 0;
}

const struct kb_kext kb_${name}_kext = {
	"${name}",
	catalog,
	${name}_configure_upcall_timeout,
	start,
	stop,
	0, /* tick: once a second, if you need it */
	0, /* no exec source */
	0,
};
`;
}

function main(): number {
  let name: string;
  let identity: string;
  let root: string;
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { identity: { type: 'string' }, root: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new Error('give the new kext\'s NAME (see --help)');
    name = positionals[0]!;
    if (!/^[a-z][a-z0-9_]{0,30}$/.test(name)) throw new Error(`"${name}" is not a lower-case C identifier of 1..31 characters`);
    if (name === 'build' || name === 'gen' || name === 'kextbridge') throw new Error(`"${name}" is taken by the framework`);
    identity = values.identity ?? `com.example.${name}`;
    if (!/^[A-Za-z0-9.-]{1,63}$/.test(identity)) throw new Error(`--identity "${identity}" must be 1..63 characters of reverse DNS`);
    root = resolve(values.root ?? ROOT);
  } catch (err) {
    process.stderr.write(`new-kext: ${(err as Error).message}\n`);
    return 2;
  }
  const kextDir = join(root, 'kext', name);
  const protoRel = `proto/${name}/v1/${name}.proto`;
  for (const p of [kextDir, join(root, 'proto', name)]) {
    if (existsSync(p)) {
      process.stderr.write(`new-kext: ${relative(root, p)} exists; not touching it\n`);
      return 1;
    }
  }
  mkdirSync(kextDir, { recursive: true });
  mkdirSync(join(root, 'proto', name, 'v1'), { recursive: true });
  writeFileSync(join(root, protoRel), proto(name));
  writeFileSync(join(kextDir, 'kext.mk'), kextMk(name, protoRel, identity));
  writeFileSync(join(kextDir, `${name}.c`), source(name));
  process.stdout.write(`created ${protoRel}, kext/${name}/kext.mk and kext/${name}/${name}.c
next: npm run build, then npm start -- --kext ${name} (docs/kext-authors.md)
`);
  return 0;
}

process.exitCode = main();
