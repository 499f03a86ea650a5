import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from 'kextbridged/internal/config/keys';
import { validateConfig } from 'kextbridged/internal/config/validate';

function errorsOf(raw: unknown, platform: NodeJS.Platform = 'linux'): string[] {
  const result = validateConfig(raw, { platform, baseDir: '/' });
  assert.equal(result.ok, false, 'expected the config to be refused');
  return result.ok ? [] : result.errors;
}

function configOf(raw: unknown, platform: NodeJS.Platform = 'linux', baseDir = '/') {
  const result = validateConfig(raw, { platform, baseDir });
  if (!result.ok) assert.fail(`expected a valid config, got:\n${result.errors.join('\n')}`);
  return result.config;
}

test('no file at all gives the platform defaults', () => {
  const linux = configOf(undefined, 'linux');
  assert.deepEqual(linux, defaultConfig('linux'));
  assert.equal(linux.socketPath, '/run/kextbridge/kextbridge.sock');
  assert.equal(linux.socketMode, 0o666);
  assert.equal(linux.adminGroup, 'admin');
  assert.equal(linux.drainGraceMs, 5000);
  assert.equal(configOf({ kext: { controlName: 'com.acme.kext' } }, 'darwin').socketPath, '/var/run/kextbridge/kextbridge.sock');
});

test('macOS needs the kext\'s control name; Linux, which talks to kextsim, does not', () => {
  assert.deepEqual(errorsOf({}, 'darwin'), ["kext.controlName: must name the kext's kernel control on macOS (its ctl_name, e.g. org.kextbridge.example)"]);
  assert.equal(configOf({}, 'linux').kext.controlName, '');
});

test('every key of a complete config is taken', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-config-'));
  writeFileSync(join(dir, 'acme.proto'), 'syntax = "proto3";\n');
  const config = configOf(
    {
      socketPath: '/var/run/kb/k.sock',
      socketMode: '0660',
      allowAnyUserSocket: true,
      kext: { socketPath: '/tmp/kextsim.sock', controlName: 'com.acme.kext', reconnectMinMs: 50, reconnectMaxMs: 50 },
      limits: {
        maxInflight: 4096,
        maxQueued: 0,
        defaultDeadlineMs: 1,
        maxMessageBytes: 1024,
        ringEvents: 0,
        ringBytes: 0,
        subscriberQueueDefault: 10,
        subscriberQueueMax: 10,
        maxBatch: 1,
      },
      logLevel: 'debug',
      adminGroup: 80,
      policy: {
        commands: { emit: { users: ['alice', 1001], groups: ['staff'] }, '*': { users: ['*'] } },
        topics: { '2': { groups: ['20'] } },
        options: { set: { log_level: { users: [] } } },
        upcalls: {},
      },
      protoFiles: ['acme.proto'],
      protoIncludeDirs: ['.'],
      drainGraceMs: 9000,
    },
    'linux',
    dir,
  );
  assert.equal(config.socketMode, 0o660);
  assert.equal(config.adminGroup, 80);
  assert.deepEqual(config.kext, { socketPath: '/tmp/kextsim.sock', controlName: 'com.acme.kext', reconnectMinMs: 50, reconnectMaxMs: 50 });
  assert.equal(config.limits.maxInflight, 4096);
  assert.equal(config.limits.maxQueued, 0);
  assert.deepEqual(config.policy.commands.emit, { users: ['alice', 1001], groups: ['staff'] });
  assert.deepEqual(config.policy.commands['*'], { users: ['*'], groups: [] });
  assert.deepEqual(config.policy.topics['2'], { users: [], groups: [20] }, 'digit strings are ids');
  assert.deepEqual(config.policy.options, { get: {}, set: { log_level: { users: [], groups: [] } } });
  assert.deepEqual(config.protoFiles, [join(dir, 'acme.proto')], 'relative to the config file');
  assert.deepEqual(config.protoIncludeDirs, [dir]);
});

test('socket paths: 103 bytes fit macOS, 104 do not', () => {
  const fits = `/${'p'.repeat(95)}/k.sock`;
  assert.equal(Buffer.byteLength(fits), 103);
  assert.equal(configOf({ socketPath: fits }).socketPath, fits);
  assert.deepEqual(errorsOf({ socketPath: `${fits}x` }), ['socketPath is 104 bytes; macOS limits unix socket paths to 104 bytes (103 and a NUL)']);
  // Bytes, not characters: 'é' is two.
  assert.deepEqual(errorsOf({ socketPath: `/${'é'.repeat(51)}/k.sock` }), ['socketPath is 110 bytes; macOS limits unix socket paths to 104 bytes (103 and a NUL)']);
});

test('socket modes: octal strings and integers, nothing else', () => {
  assert.equal(configOf({ socketMode: '600' }).socketMode, 0o600);
  assert.equal(configOf({ socketMode: '0o640' }).socketMode, 0o640);
  assert.equal(configOf({ socketMode: 438 }).socketMode, 0o666);
  assert.deepEqual(errorsOf({ socketMode: '0999' }), [
    'socketMode: must be a permission mode 0..0777, as an octal string like "0666" or an integer, got "0999"',
  ]);
  assert.deepEqual(errorsOf({ socketMode: 0o1777 }), [
    'socketMode: must be a permission mode 0..0777, as an octal string like "0666" or an integer, got 1023',
  ]);
});

test('each invalid value is refused with its key path and problem', () => {
  const cases: [unknown, string][] = [
    [{ limits: { maxInflight: 'abc' } }, 'limits.maxInflight: must be an integer 1..4096, got "abc"'],
    [{ limits: { maxInflight: 0 } }, 'limits.maxInflight: must be an integer 1..4096, got 0'],
    [{ limits: { maxInflight: 1.5 } }, 'limits.maxInflight: must be an integer 1..4096, got 1.5'],
    [{ limits: { maxMessageBytes: 2 * 1024 * 1024 } }, 'limits.maxMessageBytes: must be an integer 1024..1048576, got 2097152'],
    [{ limits: [] }, 'limits: must be an object, got an array'],
    [{ socketPath: 'kb.sock' }, 'socketPath: must be an absolute path, got "kb.sock"'],
    [{ socketPath: '' }, 'socketPath: must be a non-empty string, got ""'],
    [{ socketPath: `/${'d'.repeat(110)}/kb.sock` }, 'socketPath is 119 bytes; macOS limits unix socket paths to 104 bytes (103 and a NUL)'],
    [{ kext: { socketPath: `/${'k'.repeat(110)}` } }, 'kext.socketPath is 111 bytes; Linux limits unix socket paths to 108 bytes (107 and a NUL)'],
    [{ kext: { controlName: 'c'.repeat(96) } }, 'kext.controlName is 96 bytes; kernel control names are at most 95'],
    [{ kext: { reconnectMinMs: 500, reconnectMaxMs: 100 } }, 'kext.reconnectMaxMs: must be at least kext.reconnectMinMs (500), got 100'],
    [{ limits: { subscriberQueueDefault: 100, subscriberQueueMax: 10 } }, 'limits.subscriberQueueDefault: must be at most limits.subscriberQueueMax (10), got 100'],
    [{ logLevel: 'verbose' }, 'logLevel: must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"'],
    [{ allowAnyUserSocket: 'yes' }, 'allowAnyUserSocket: must be true or false, got "yes"'],
    [{ adminGroup: '*' }, 'adminGroup: must name one group, not "*"'],
    [{ adminGroup: -1 }, 'adminGroup: must be a user or group name, a numeric id 0..4294967294 or "*", got -1'],
    [{ drainGraceMs: 20000 }, 'drainGraceMs: must be an integer 0..9000, got 20000'],
    [{ protoFiles: ['/nonexistent/x.proto'] }, 'protoFiles[0]: no such file: /nonexistent/x.proto'],
    [{ protoFiles: '/etc/passwd' }, 'protoFiles: must be an array of paths, got "/etc/passwd"'],
    [{ protoIncludeDirs: ['/etc/passwd'] }, 'protoIncludeDirs[0]: not a directory: /etc/passwd'],
    [{ policy: { commands: { emit: { users: [true] } } } }, 'policy.commands.emit.users[0]: must be a user or group name, a numeric id 0..4294967294 or "*", got true'],
    [{ policy: { commands: { emit: { users: ['al*ce'] } } } }, 'policy.commands.emit.users[0]: must be a user or group name, a numeric id 0..4294967294 or "*", got "al*ce"'],
    [{ policy: { topics: { exec: { groups: 'staff' } } } }, 'policy.topics.exec.groups: must be an array of names or ids, got "staff"'],
    [{ policy: { commands: { emit: 'root' } } }, 'policy.commands.emit: must be an object, got "root"'],
    [{ policy: { commands: { [''.padEnd(64, 'n')]: {} } } }, `policy.commands.${'n'.repeat(64)}: must be keyed by a catalog name (1..63 bytes), a catalog id or "*"`],
    [{ policy: { options: { get: { 'log.level': { users: [{}] } } } } }, 'policy.options.get["log.level"].users[0]: must be a user or group name, a numeric id 0..4294967294 or "*", got an object'],
    [[], '(top level): must be an object, got an array'],
  ];
  for (const [raw, message] of cases) assert.deepEqual(errorsOf(raw), [message], JSON.stringify(raw));
});

test('unknown keys are refused, naming the closest known key', () => {
  assert.deepEqual(errorsOf({ limits: { maxInflite: 8 } }), ['limits.maxInflite: unknown key; did you mean "maxInflight"?']);
  assert.deepEqual(errorsOf({ sockePath: '/run/x.sock' }), ['sockePath: unknown key; did you mean "socketPath"?']);
  assert.deepEqual(errorsOf({ loglevel: 'debug' }), ['loglevel: unknown key; did you mean "logLevel"?']);
  assert.deepEqual(errorsOf({ policy: { commands: { emit: { usres: ['bob'] } } } }), ['policy.commands.emit.usres: unknown key; did you mean "users"?']);
  assert.deepEqual(errorsOf({ policy: { option: {} } }), ['policy.option: unknown key; did you mean "options"?']);
  assert.deepEqual(errorsOf({ kext: { zzzzzzzzzzzz: 1 } }), [
    'kext.zzzzzzzzzzzz: unknown key; known keys here: socketPath, controlName, reconnectMinMs, reconnectMaxMs',
  ]);
});

test('all errors are reported at once', () => {
  assert.deepEqual(
    errorsOf({
      socketPath: 'relative',
      limits: { maxInflight: 'abc', maxBatch: 0 },
      logLevel: 3,
      polcy: {},
    }),
    [
      'polcy: unknown key; did you mean "policy"?',
      'socketPath: must be an absolute path, got "relative"',
      'limits.maxInflight: must be an integer 1..4096, got "abc"',
      'limits.maxBatch: must be an integer 1..65536, got 0',
      'logLevel: must be one of fatal, error, warn, info, debug, trace, silent, got 3',
    ],
  );
});

test('a value that came from a flag says so', () => {
  const result = validateConfig({ limits: { maxInflight: 'abc' } }, { origins: new Map([['limits.maxInflight', '--max-inflight']]) });
  assert.deepEqual(result, { ok: false, errors: ['limits.maxInflight (from --max-inflight): must be an integer 1..4096, got "abc"'] });
});

test('upcallDecisions: modes and deny rules by name, id or "*"; bad ones refused with their path', () => {
  const c = configOf({ upcallDecisions: { authorize_exec: { mode: 'any_deny', denyWhen: { field: 1, equals: 0 } }, '7': { mode: 'first_answer' }, '*': {} } });
  assert.deepEqual(c.upcallDecisions, {
    authorize_exec: { mode: 'any_deny', denyWhen: { field: 1, equals: 0 } },
    '7': { mode: 'first_answer' },
    '*': { mode: 'any_deny' },
  });
  assert.deepEqual(configOf({ upcallDecisions: { a: { denyWhen: { field: 3 } } } }).upcallDecisions.a, { mode: 'any_deny', denyWhen: { field: 3, equals: 0 } }, 'equals defaults to 0');
  const errors = errorsOf({ upcallDecisions: { a: { mode: 'majority' }, b: { denyWhen: { equals: 1 } }, c: { denyWhen: { field: 0 } }, d: { denyWhn: {} }, '': {} } });
  assert.deepEqual(errors, [
    'upcallDecisions.a.mode: must be one of any_deny, first_answer, got "majority"',
    'upcallDecisions.b.denyWhen.field: is required: the field number of a varint (bool, enum, integer) in the answer message',
    'upcallDecisions.c.denyWhen.field: must be an integer 1..536870911, got 0',
    'upcallDecisions.d.denyWhn: unknown key; did you mean "denyWhen"?',
    'upcallDecisions[""]: must be keyed by a catalog name (1..63 bytes), a catalog id or "*"',
  ]);
  assert.equal(configOf({ limits: { upcallHandlersPerUid: 2 } }).limits.upcallHandlersPerUid, 2);
  assert.match(errorsOf({ limits: { upcallHandlersPerUid: 0 } })[0]!, /limits\.upcallHandlersPerUid: must be an integer 1\.\.4096/);
});

test('policy programs: Linux path/sha256, macOS teamId/identifier/requirement, each refused on the other system with its path', () => {
  const linux = configOf({ policy: { upcalls: { authorize_exec: { programs: [{ path: '/usr/libexec/agent', sha256: 'AB'.repeat(32) }] } }, admin: { groups: ['wheel'], programs: [{ path: '/usr/bin/kextbridge' }] } } });
  assert.deepEqual(linux.policy.upcalls.authorize_exec, { users: [], groups: [], programs: [{ path: '/usr/libexec/agent', sha256: 'ab'.repeat(32) }] });
  assert.deepEqual(linux.policy.admin, { users: [], groups: ['wheel'], programs: [{ path: '/usr/bin/kextbridge' }] });
  const mac = configOf({ kext: { controlName: 'com.example.kext' }, policy: { commands: { echo: { users: ['alice'], programs: [{ teamId: 'ABCDE12345', identifier: 'com.example.agent' }, { requirement: 'anchor apple' }] } } } }, 'darwin');
  assert.deepEqual(mac.policy.commands.echo!.programs, [{ teamId: 'ABCDE12345', identifier: 'com.example.agent' }, { requirement: 'anchor apple' }]);

  const errors = errorsOf({
    policy: {
      commands: { a: { programs: [] }, b: { programs: [{}] }, c: { programs: [{ path: 'agent' }] }, d: { programs: [{ sha256: 'xyz' }] }, e: { programs: [{ teamId: 'ABCDE12345' }] }, f: { programs: [{ pth: '/x' }] } },
    },
  });
  assert.deepEqual(errors, [
    'policy.commands.a.programs: must be a non-empty array of programs (an empty one would allow no program: leave the key out to allow any), got an array',
    'policy.commands.b.programs[0]: names no program: give path or sha256',
    'policy.commands.c.programs[0].path: must be an absolute path, got "agent"',
    "policy.commands.d.programs[0].sha256: must be 64 hex digits (sha256sum's output), got \"xyz\"",
    'policy.commands.e.programs[0]: teamId cannot be checked on linux: name a program here by path or sha256',
    'policy.commands.f.programs[0].pth: unknown key; did you mean "path"?',
  ]);
  const macErrors = errorsOf({ kext: { controlName: 'k' }, policy: { upcalls: { x: { programs: [{ path: '/x' }, { teamId: 'abc' }, { identifier: 'has space' }, { requirement: 'anchor apple', teamId: 'ABCDE12345' }] } } } }, 'darwin');
  assert.deepEqual(macErrors, [
    'policy.upcalls.x.programs[0]: path cannot be checked on darwin: name a program here by teamId, identifier or requirement',
    'policy.upcalls.x.programs[1].teamId: must be an Apple Team ID, 10 capital letters or digits (codesign -dv shows TeamIdentifier), got "abc"',
    'policy.upcalls.x.programs[2].identifier: must be a signing identifier such as "com.example.agent" (letters, digits, . _ -; codesign -dv shows Identifier), got "has space"',
    'policy.upcalls.x.programs[3]: give either requirement or teamId/identifier, not both: a whole requirement says everything the others would',
  ]);
});
