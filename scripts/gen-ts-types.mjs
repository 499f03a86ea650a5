#!/usr/bin/env node
// Generates TypeScript message and service types from proto/ with
// proto-loader's generator: the bridge's into the client package
// (clients/ts/src/generated), the example kext's into the tests' support
// (test/support/generated; the client library names no kext). `--check`
// regenerates into a temporary directory and fails if a checked-in copy
// differs, so CI catches a stale copy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');
const sets = [
  { target: join(root, 'clients/ts/src/generated'), protos: ['kextbridge/v1/bridge.proto'] },
  { target: join(root, 'test/support/generated'), protos: ['example/v1/example.proto'] },
];

// The same conversions the client loads the protos with (clients/ts/src/api.ts).
function generate(out, protos) {
  execFileSync(
    join(root, 'node_modules/.bin/proto-loader-gen-types'),
    ['--longs=String', '--enums=String', '--defaults', '--oneofs', '--includeComments', '--grpcLib=@grpc/grpc-js', '-O', out, '-I', 'proto', '--', ...protos],
    // Relative -I: the generated files then name proto/..., not this checkout's path.
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

function files(dir) {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

let failed = false;
for (const { target, protos } of sets) {
  const out = check ? mkdtempSync(join(tmpdir(), 'kb-gen-')) : target;
  if (!check) rmSync(target, { recursive: true, force: true });
  generate(out, protos);
  if (!check) continue;
  const fresh = files(out).map((f) => relative(out, f)).sort();
  const have = files(target).map((f) => relative(target, f)).sort();
  const body = (f) => readFileSync(f, 'utf8');
  const stale = [...new Set([...fresh, ...have])].filter((f) => !fresh.includes(f) || !have.includes(f) || body(join(out, f)) !== body(join(target, f)));
  rmSync(out, { recursive: true, force: true });
  const name = relative(root, target);
  if (stale.length > 0) {
    console.error(`${name} is stale (${stale.length} files differ, e.g. ${stale.slice(0, 3).join(', ')}); run npm run gen:ts`);
    failed = true;
  } else {
    console.log(`${name} is current (${fresh.length} files)`);
  }
}
process.exit(failed ? 1 : 0);
