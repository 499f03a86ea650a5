// native/lib/signature.ts SignedPrograms (macOS): the pid from the audit
// token, the signature's state for messages, and one Security.framework
// check per requirement per connection. The native calls are faked: they
// exist on macOS only (compile-checked here by native/scripts/check-darwin.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { SignedPrograms, signatureText, type SignatureChecks } from '@kextbridge/native/internal/signature';

function token(pid: number): Buffer {
  const t = Buffer.alloc(32);
  t.writeUInt32LE(pid, 20);
  return t;
}

test('the pid is word 5 of the token; each requirement is checked once per connection', () => {
  const asked: string[] = [];
  const checks: SignatureChecks = {
    peerToken: () => token(4242),
    describeCode: () => ({ status: 0, path: '/Applications/Agent.app/Contents/MacOS/agent' }),
    checkRequirement: (_t, req) => (asked.push(req), req.includes('ABCDE12345') ? 0 : -67050),
  };
  const programs = new SignedPrograms(checks);
  const p = programs.of(7);
  assert.equal(p.pid, 4242);
  assert.equal(p.path, '/Applications/Agent.app/Contents/MacOS/agent');
  assert.equal(p.signature, 'signed');
  const teamReq = 'anchor apple generic and certificate leaf[subject.OU] = "ABCDE12345"';
  assert.equal(p.satisfies(teamReq), true);
  assert.equal(p.satisfies(teamReq), true);
  assert.equal(p.satisfies('anchor apple'), false);
  assert.deepEqual(asked, [teamReq, 'anchor apple'], 'one check per requirement');
  const other = programs.of(8);
  other.satisfies(teamReq);
  assert.equal(programs.checks, 3, 'a new connection asks again');
});

test('describe false reads the token only; requirements are still checked through it', () => {
  let described = 0;
  const programs = new SignedPrograms({ peerToken: () => token(5), describeCode: () => (described++, { status: 0, path: '/x' }), checkRequirement: () => 0 });
  const p = programs.of(3, false);
  assert.equal(described, 0);
  assert.equal(p.signature, undefined);
  assert.equal(p.path, undefined);
  assert.equal(p.satisfies('anchor apple'), true);
});

test('an unsigned caller is described so; code that cannot be read refuses', () => {
  assert.equal(signatureText(-67062), 'unsigned');
  assert.equal(signatureText(-67030), 'signature not valid (OSStatus -67030)');
  const gone = new SignedPrograms({ peerToken: () => token(9), describeCode: () => ({ status: -67065, path: '' }), checkRequirement: () => 0 });
  assert.throws(() => gone.of(3), /cannot read the code of pid 9: OSStatus -67065/);
});
