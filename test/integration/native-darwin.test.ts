// The addon's macOS sources compile against the project's declarations of
// the macOS APIs, and the check catches a call that does not match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT as root } from '../support/paths';

const addonApi = (require('node-addon-api') as { include_dir: string }).include_dir;

function check(nativeDir: string): { status: number | null; out: string } {
  const r = spawnSync('bash', [join(nativeDir, 'scripts/check-darwin.sh')], {
    encoding: 'utf8',
    env: { ...process.env, NODE_ADDON_API_DIR: resolve(root, addonApi) },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('darwin sources compile against the declared macOS APIs', () => {
  const r = check(join(root, 'native'));
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /5 darwin sources and addon\.cc compile/);
});

test('a call that does not match the declarations fails the check', () => {
  const copy = mkdtempSync(join(tmpdir(), 'kb-darwin-'));
  try {
    for (const d of ['src', 'darwin-decls', 'scripts']) cpSync(join(root, 'native', d), join(copy, 'native', d), { recursive: true });
    const f = join(copy, 'native/src/activation_darwin.cc');
    writeFileSync(f, readFileSync(f, 'utf8').replace('launch_activate_socket(name.c_str(), &fds, &count)', 'launch_activate_socket(name.c_str(), &fds)'));
    const r = check(join(copy, 'native'));
    assert.notEqual(r.status, 0);
    assert.match(r.out, /launch_activate_socket/);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('a code-signing call that does not match Security.framework\'s declarations fails the check', () => {
  const copy = mkdtempSync(join(tmpdir(), 'kb-darwin-'));
  try {
    for (const d of ['src', 'darwin-decls', 'scripts']) cpSync(join(root, 'native', d), join(copy, 'native', d), { recursive: true });
    const f = join(copy, 'native/src/codesign_darwin.cc');
    const text = readFileSync(f, 'utf8');
    assert.ok(text.includes('SecCodeCheckValidity(code.get(), kSecCSDefaultFlags, requirement.get())'));
    // The requirement left out, as if the API took two arguments.
    writeFileSync(f, text.replace('SecCodeCheckValidity(code.get(), kSecCSDefaultFlags, requirement.get())', 'SecCodeCheckValidity(code.get(), requirement.get())'));
    const r = check(join(copy, 'native'));
    assert.notEqual(r.status, 0);
    assert.match(r.out, /SecCodeCheckValidity/);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
