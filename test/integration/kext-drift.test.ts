// Drift between a kext's C and its .proto cannot give a wrong answer: in a
// copy of the tree, a field of counter.proto is renumbered and nothing
// else; the kext is rebuilt as the guide says (make, which regenerates its
// C from the .proto) and served from that .proto: Add(delta 5) answers 5.
// Without Node to regenerate, the same build stops and names the .proto.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import { startProcess } from '../../scripts/lib/processes';
import { startDaemon } from '../support/daemon';
import { copyKextTree, makeArgs } from '../support/kext-tree';

const tree = mkdtempSync(join(tmpdir(), 'kb-drift-'));
after(() => rmSync(tree, { recursive: true, force: true }));

copyKextTree(tree);
const proto = join(tree, 'proto/counter/v1/counter.proto');
const kext = join(tree, 'kext');

function make(vars: string[]): { code: number | null; out: string } {
  const r = spawnSync('make', [...makeArgs(tree, 'build/kextsim'), ...vars], { encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const renumbered = readFileSync(proto, 'utf8').replace('int64 delta = 1;', 'int64 delta = 3;');

test('without Node to regenerate, a renumbered field stops the build, naming the .proto', () => {
  assert.notEqual(renumbered, readFileSync(proto, 'utf8'), 'counter.proto has the field this test renumbers');
  writeFileSync(proto, renumbered);
  // The .proto is newer than the checked-in C, as after an edit.
  const later = new Date(Date.now() + 5000);
  utimesSync(proto, later, later);
  const r = make(['NODE=/nonexistent/node']);
  assert.notEqual(r.code, 0, r.out);
  assert.match(r.out, /counter\/gen\/counter\.pb\.c is older than .*proto\/counter\/v1\/counter\.proto/);
});

test('rebuilt as the guide says, the renumbered field reaches the kext: Add(delta 5) answers 5', async () => {
  writeFileSync(proto, renumbered);
  const built = make([]);
  assert.equal(built.code, 0, built.out);
  assert.match(readFileSync(join(kext, 'counter/gen/counter.pb.c'), 'utf8'), /case 3:\n\t\t\tif \(f\.wire != KB_PB_VARINT\)\n\t\t\t\treturn fail\(why, "AddRequest\.delta/);
  mkdirSync(join(tree, 'run'), { mode: 0o755 });
  const socket = join(tree, 'run/kextsim.sock');
  const sim = startProcess(join(kext, 'build/kextsim'), ['--socket', socket, '--kext', 'counter'], 'ignore');
  await sim.waitForLine((l) => l.startsWith('KEXTSIM READY '), 10_000, 'kextsim');
  const daemon = await startDaemon(socket, ['--proto', proto]);
  const def = protoLoader.loadSync('counter/v1/counter.proto', { includeDirs: [join(tree, 'proto')], longs: String, defaults: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { kextbridge: { counter: { v1: { Counter: grpc.ServiceClientConstructor } } } };
  const client = new pkg.kextbridge.counter.v1.Counter(`unix://${daemon.socket}`, grpc.credentials.createInsecure()) as grpc.Client & Record<string, (...a: unknown[]) => void>;
  try {
    const reply = await new Promise((res, rej) => client.Add!({ delta: 5 }, { deadline: Date.now() + 5000 }, (e: Error | null, r: unknown) => (e ? rej(e) : res(r))));
    assert.deepEqual(reply, { value: '5' });
  } finally {
    client.close();
    await daemon.stop();
    await sim.stop();
  }
});
