#!/usr/bin/env node
// kextbridge-kextgen: a kext's C from its .proto (docs/kext-authors.md).
// The kext build runs it (kext/gen.mk) for every kext folder; `--check`
// writes nothing and fails when a checked-in copy differs from what the
// .proto gives, naming both.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs as parseCli } from 'node:util';
import { loadSchema, typedServices } from '../schema';
import { emitHeader, emitSource } from './emit-c';
import { buildModel } from './model';

const USAGE = `usage: kextbridge-kextgen --proto FILE --name NAME --identity ID --kext-version V --out DIR [options]

Writes DIR/NAME.pb.h and DIR/NAME.pb.c from the kext's .proto: catalog ids,
the catalog itself, message structs with bounded encoders and decoders,
the typed handler prototypes the kext defines, and reply/publish/ask helpers.

  --proto FILE        the kext's .proto (its service's methods carry
                      (kextbridge.v1.kernel) options)
  --name NAME         the kext's name: the C prefix (a C identifier)
  --identity ID       reverse DNS identity, also the kernel control's name
  --kext-version V    the kext's version string
  --out DIR           where the two files go
  -I DIR              another directory to resolve imports from (repeatable)
  --max-len N         bound for string/bytes fields without
                      (kextbridge.v1.field).max_len (default 4096)
  --stack-max N       helpers that encode on the stack exist for messages
                      up to N bytes (default 1536; kernel stacks are 16 KiB)
  --check             write nothing; exit 1 if DIR's files differ
  --help              this text
`;

interface Args {
  proto: string;
  name: string;
  identity: string;
  version: string;
  out: string;
  includes: string[];
  maxLen: number;
  stackMax: number;
  check: boolean;
}

function parseArgs(argv: string[]): Args {
  const { values: v } = parseCli({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      proto: { type: 'string' },
      name: { type: 'string' },
      identity: { type: 'string' },
      'kext-version': { type: 'string' },
      out: { type: 'string' },
      I: { type: 'string', short: 'I', multiple: true },
      'max-len': { type: 'string' },
      'stack-max': { type: 'string' },
      check: { type: 'boolean' },
    },
  });
  if (v.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const count = (flag: string, given: string | undefined, dflt: number): number => {
    if (given === undefined) return dflt;
    const n = Number(given);
    if (!Number.isInteger(n) || n < 1 || n > 16 * 1024 * 1024) throw new Error(`--${flag} needs a whole number 1..16777216, got "${given}"`);
    return n;
  };
  const required = (flag: string, given: string | undefined): string => {
    if (!given) throw new Error(`--${flag} is required (see --help)`);
    return given;
  };
  const a: Args = {
    proto: required('proto', v.proto),
    name: required('name', v.name),
    identity: required('identity', v.identity),
    version: required('kext-version', v['kext-version']),
    out: required('out', v.out),
    includes: v.I ?? [],
    maxLen: count('max-len', v['max-len'], 4096),
    stackMax: count('stack-max', v['stack-max'], 1536),
    check: v.check === true,
  };
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(a.name)) throw new Error(`--name "${a.name}" must be a lower-case C identifier of 1..31 characters`);
  if (!/^[A-Za-z0-9.-]{1,63}$/.test(a.identity)) throw new Error(`--identity "${a.identity}" must be 1..63 characters of reverse DNS`);
  if (a.version.length > 63 || /["\\\n]/.test(a.version)) throw new Error(`--kext-version "${a.version}" must be 1..63 characters without quotes`);
  return a;
}

// How the banner names the .proto: as given, less leading ./ and ../.
function label(path: string): string {
  return path.replace(/^(\.\.?\/)+/, '');
}

function main(): number {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`kextbridge-kextgen: ${(err as Error).message}\n`);
    return 2;
  }
  if (!existsSync(args.proto)) {
    process.stderr.write(`kextbridge-kextgen: ${args.proto}: no such file\n`);
    return 1;
  }
  let root;
  try {
    // Absolute: a relative path would be looked up under the include
    // directories first, and could find another checkout's file of that name.
    root = loadSchema([resolve(args.proto)], args.includes, true);
  } catch (err) {
    process.stderr.write(`kextbridge-kextgen: ${args.proto}: ${(err as Error).message}\n`);
    return 1;
  }
  const services = typedServices(root).filter((s) => s.filename === resolve(args.proto));
  if (services.length === 0) {
    process.stderr.write(`kextbridge-kextgen: ${args.proto}: no service with (kextbridge.v1.kernel) methods\n`);
    return 1;
  }
  const { model, errors } = buildModel(services, { prefix: args.name, defaultMaxLen: args.maxLen });
  if (errors.length) {
    for (const e of errors) process.stderr.write(`kextbridge-kextgen: ${args.proto}: ${e}\n`);
    return 1;
  }
  const opts = { protoLabel: label(args.proto), identity: args.identity, version: args.version, stackMax: args.stackMax };
  const hName = `${args.name}.pb.h`;
  const files: Array<[string, string]> = [
    [join(args.out, hName), emitHeader(model, opts)],
    [join(args.out, `${args.name}.pb.c`), emitSource(model, opts, hName)],
  ];
  if (args.check) {
    const stale = files.filter(([path, text]) => !existsSync(path) || readFileSync(path, 'utf8') !== text).map(([path]) => path);
    for (const path of stale) process.stderr.write(`kextbridge-kextgen: ${path} is stale: ${args.proto} gives different code; run \`npm run gen:kext\` and commit it\n`);
    if (stale.length === 0) process.stdout.write(`${files.map(([p]) => p).join(' and ')} are current with ${args.proto}\n`);
    return stale.length ? 1 : 0;
  }
  mkdirSync(args.out, { recursive: true });
  // Unchanged text keeps its file's time: the build recompiles nothing.
  for (const [path, text] of files) if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
  return 0;
}

process.exitCode = main();
