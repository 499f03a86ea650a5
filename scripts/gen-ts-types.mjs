#!/usr/bin/env node
// Generates the TypeScript client's message and service types from proto/
// with proto-loader's generator, into clients/ts/src/generated (or the
// directory given). `--check` regenerates into a temporary directory and
// fails if the checked-in copy differs, so CI catches a stale copy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const target = join(root, 'clients/ts/src/generated');
const check = process.argv.includes('--check');
const out = check ? mkdtempSync(join(tmpdir(), 'kb-gen-')) : target;

// The same conversions the client loads the protos with (clients/ts/src/api.ts).
execFileSync(
  join(root, 'node_modules/.bin/proto-loader-gen-types'),
  ['--longs=String', '--enums=String', '--defaults', '--oneofs', '--includeComments', '--grpcLib=@grpc/grpc-js', '-O', out, '-I', 'proto', '--', 'kextbridge/v1/bridge.proto', 'example/v1/example.proto'],
  // Relative -I: the generated files then name proto/..., not this checkout's path.
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
);

function files(dir) {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

if (check) {
  const fresh = files(out).map((f) => relative(out, f)).sort();
  const have = files(target).map((f) => relative(target, f)).sort();
  const body = (f) => readFileSync(f, 'utf8');
  const stale = [...new Set([...fresh, ...have])].filter((f) => !fresh.includes(f) || !have.includes(f) || body(join(out, f)) !== body(join(target, f)));
  rmSync(out, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(`clients/ts/src/generated is stale (${stale.length} files differ, e.g. ${stale.slice(0, 3).join(', ')}); run npm run gen:ts`);
    process.exit(1);
  }
  console.log(`clients/ts/src/generated is current (${fresh.length} files)`);
}
