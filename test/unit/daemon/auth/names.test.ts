import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileNameResolver } from 'kextbridged/internal/auth/names';
import { describeUser, isMemberOf } from 'kextbridged/internal/auth/identity';

test('passwd and group lines resolve both ways; the first entry of a name or id wins', () => {
  const names = FileNameResolver.fromText(
    [
      '# comment',
      'root:x:0:0:root:/root:/bin/bash',
      'toor:x:0:0:second root:/root:/bin/sh',
      '+nisuser::::::',
      '',
      'alice:x:1001:1001:Alice:/home/alice:/bin/sh',
      'alice:x:2001:2001:shadowed:/:/bin/sh',
      'broken line',
      'badid:x:12a:1::/:/bin/sh',
    ].join('\n'),
    ['root:x:0:', 'admin:x:80:alice,bob', '-nisgroup::::', 'staff:x:20:'].join('\n'),
  );
  assert.equal(names.userId('root'), 0);
  assert.equal(names.userId('toor'), 0);
  assert.equal(names.userName(0), 'root');
  assert.equal(names.userId('alice'), 1001);
  assert.equal(names.userName(2001), 'alice', 'its own id still names it');
  assert.equal(names.userId('+nisuser'), undefined);
  assert.equal(names.userId('broken line'), undefined);
  assert.equal(names.userId('badid'), undefined);
  assert.equal(names.groupId('admin'), 80);
  assert.equal(names.groupName(20), 'staff');
  assert.equal(names.groupId('-nisgroup'), undefined);
  assert.equal(names.groupName(12345), undefined);
});

test('the host files load: root and nobody are there on any Linux', () => {
  const names = FileNameResolver.load();
  assert.equal(names.userId('root'), 0);
  assert.equal(names.userName(65534), 'nobody');
  assert.equal(names.groupId('root'), 0);
});

test('membership counts the primary and the supplementary groups', () => {
  const who = { uid: 1001, gid: 1001, pid: 1, groups: [20, 80] };
  assert.ok(isMemberOf(who, 1001));
  assert.ok(isMemberOf(who, 80));
  assert.ok(!isMemberOf(who, 0));
  const names = FileNameResolver.fromText('alice:x:1001:1001::/:/bin/sh', '');
  assert.equal(describeUser(1001, names), 'uid 1001 (alice)');
  assert.equal(describeUser(1002, names), 'uid 1002');
});
