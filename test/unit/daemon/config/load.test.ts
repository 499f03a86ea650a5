import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LoadResult } from 'kextbridged/internal/config/load';
import { parseCommandLine } from 'kextbridged/internal/config/cli';

const dir = mkdtempSync(join(tmpdir(), 'kb-load-'));
writeFileSync(join(dir, 'acme.proto'), 'syntax = "proto3";\n');

const asJson = {
  socketPath: '/var/run/kextbridge/test.sock',
  socketMode: '0660',
  allowAnyUserSocket: true,
  kext: { controlName: 'com.acme.kext', reconnectMinMs: 200, reconnectMaxMs: 8000 },
  limits: { maxInflight: 32, ringBytes: 1048576 },
  logLevel: 'warn',
  adminGroup: 'wheel',
  policy: {
    commands: { emit: { users: ['alice', 501], groups: ['staff'] }, '*': { users: ['*'] } },
    options: { set: { log_level: { groups: [80] } } },
  },
  protoFiles: ['acme.proto'],
  drainGraceMs: 7000,
};

// The same settings as an MDM would push them.
const asPlist = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>socketPath</key><string>/var/run/kextbridge/test.sock</string>
  <key>socketMode</key><string>0660</string>
  <key>allowAnyUserSocket</key><true/>
  <key>kext</key>
  <dict>
    <key>controlName</key><string>com.acme.kext</string>
    <key>reconnectMinMs</key><integer>200</integer>
    <key>reconnectMaxMs</key><integer>8000</integer>
  </dict>
  <key>limits</key>
  <dict>
    <key>maxInflight</key><integer>32</integer>
    <key>ringBytes</key><integer>1048576</integer>
  </dict>
  <key>logLevel</key><string>warn</string>
  <key>adminGroup</key><string>wheel</string>
  <key>policy</key>
  <dict>
    <key>commands</key>
    <dict>
      <key>emit</key>
      <dict>
        <key>users</key><array><string>alice</string><integer>501</integer></array>
        <key>groups</key><array><string>staff</string></array>
      </dict>
      <key>*</key>
      <dict><key>users</key><array><string>*</string></array></dict>
    </dict>
    <key>options</key>
    <dict>
      <key>set</key>
      <dict><key>log_level</key><dict><key>groups</key><array><integer>80</integer></array></dict></dict>
    </dict>
  </dict>
  <key>protoFiles</key><array><string>acme.proto</string></array>
  <key>drainGraceMs</key><integer>7000</integer>
</dict>
</plist>
`;

function write(name: string, content: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

function configOf(result: LoadResult) {
  if (result.kind !== 'config') assert.fail(`expected a config, got ${JSON.stringify(result)}`);
  return result.config;
}

test('a JSON file and a plist with the same settings give the same config', () => {
  const fromJson = configOf(loadConfig({ argv: ['--config', write('k.json', JSON.stringify(asJson))], platform: 'darwin' }));
  const fromPlist = configOf(loadConfig({ argv: ['--config', write('k.plist', asPlist)], platform: 'darwin' }));
  assert.deepEqual(fromPlist, fromJson);
  assert.equal(fromJson.socketMode, 0o660);
  assert.equal(fromJson.limits.maxInflight, 32);
  assert.deepEqual(fromJson.policy.commands.emit, { users: ['alice', 501], groups: ['staff'] });
  assert.deepEqual(fromJson.protoFiles, [join(dir, 'acme.proto')]);
});

test('the content decides the format, whatever the extension', () => {
  const plistNamedConf = configOf(loadConfig({ argv: ['--config', write('plist.conf', asPlist)] }));
  const jsonNamedPlist = configOf(loadConfig({ argv: ['--config', write('json.plist', `\uFEFF  ${JSON.stringify(asJson)}`)] }));
  assert.deepEqual(plistNamedConf, jsonNamedPlist);
});

test('unreadable and malformed files are refused with the file named', () => {
  const missing = join(dir, 'missing.json');
  const r1 = loadConfig({ argv: ['--config', missing] });
  assert.equal(r1.kind, 'error');
  assert.match((r1 as { errors: string[] }).errors[0]!, new RegExp(`^${missing}: cannot read: ENOENT`));

  const badJson = write('bad.json', '{"socketPath": ');
  const r2 = loadConfig({ argv: ['--config', badJson] });
  assert.equal(r2.kind, 'error');
  assert.match((r2 as { errors: string[] }).errors[0]!, new RegExp(`^${badJson}: not valid JSON: `));

  const binary = write('bin.plist', Buffer.concat([Buffer.from('bplist00'), Buffer.alloc(32)]));
  assert.deepEqual(loadConfig({ argv: ['--config', binary] }), {
    kind: 'error',
    errors: [`${binary}: binary plists are not supported; convert it with \`plutil -convert xml1 ${binary}\``],
  });

  const badPlist = write('bad.plist', '<?xml version="1.0"?><notaplist/>');
  const r3 = loadConfig({ argv: ['--config', badPlist] });
  assert.equal(r3.kind, 'error');
  assert.match((r3 as { errors: string[] }).errors[0]!, new RegExp(`^${badPlist}: not valid plist: `));
});

test('validation errors are prefixed with the file', () => {
  const file = write('invalid.json', JSON.stringify({ limits: { maxInflight: 'abc' }, logLevl: 'info' }));
  assert.deepEqual(loadConfig({ argv: ['--config', file] }), {
    kind: 'error',
    errors: [`${file}: logLevl: unknown key; did you mean "logLevel"?`, `${file}: limits.maxInflight: must be an integer 1..4096, got "abc"`],
  });
});

test('flags override the file, key by key', () => {
  const file = write('base.json', JSON.stringify(asJson));
  const config = configOf(
    loadConfig({
      argv: ['--config', file, '--socket', 'run/kb.sock', '--kext-socket=/tmp/ks.sock', '--log-level', 'debug', '--max-inflight', '8', '--admin-group', '20'],
      cwd: '/home/dev',
      platform: 'linux',
    }),
  );
  assert.equal(config.socketPath, '/home/dev/run/kb.sock', 'relative to the working directory');
  assert.equal(config.kext.socketPath, '/tmp/ks.sock');
  assert.equal(config.kext.controlName, 'com.acme.kext', 'untouched keys of the same object stay');
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.limits.maxInflight, 8);
  assert.equal(config.limits.ringBytes, 1048576);
  assert.equal(config.adminGroup, 20);
});

test('a bad flag value is reported against the flag', () => {
  const file = write('base2.json', JSON.stringify(asJson));
  assert.deepEqual(loadConfig({ argv: ['--config', file, '--max-inflight', 'abc', '--log-level', 'loud'] }), {
    kind: 'error',
    errors: [
      `${file}: limits.maxInflight (from --max-inflight): must be an integer 1..4096, got "abc"`,
      `${file}: logLevel (from --log-level): must be one of fatal, error, warn, info, debug, trace, silent, got "loud"`,
    ],
  });
  assert.deepEqual(loadConfig({ argv: ['--socket', `/${'s'.repeat(120)}`] }), {
    kind: 'error',
    errors: ['socketPath (from --socket) is 121 bytes; macOS limits unix socket paths to 104 bytes (103 and a NUL)'],
  });
});

test('--proto may repeat and replaces the configured list', () => {
  writeFileSync(join(dir, 'b.proto'), 'syntax = "proto3";\n');
  const config = configOf(loadConfig({ argv: ['--proto', 'acme.proto', '--proto', join(dir, 'b.proto')], cwd: dir }));
  assert.deepEqual(config.protoFiles, [join(dir, 'acme.proto'), join(dir, 'b.proto')]);
});

test('unknown flags and stray arguments are errors naming them', () => {
  assert.deepEqual(parseCommandLine(['--sockt', '/x']), {
    kind: 'error',
    errors: ['unknown flag --sockt; did you mean --socket? (--help lists them)', 'unexpected argument "/x"; flags start with --'],
  });
  assert.deepEqual(parseCommandLine(['--frobnicate']), { kind: 'error', errors: ['unknown flag --frobnicate (--help lists them)'] });
  assert.deepEqual(parseCommandLine(['-s']), { kind: 'error', errors: ['unknown flag -s (--help lists them)'] });
  assert.deepEqual(parseCommandLine(['--socket']), { kind: 'error', errors: ['--socket needs a value'] });
  assert.deepEqual(parseCommandLine(['--allow-any-user-socket=no']), { kind: 'error', errors: ['--allow-any-user-socket takes no value, got "no"'] });
});

test('--help and --check', () => {
  const help = parseCommandLine(['--socket', '/x', '--help']);
  assert.equal(help.kind, 'help');
  const text = (help as { text: string }).text;
  for (const flag of ['--config FILE', '--socket PATH', '--kext-socket PATH', '--log-level LEVEL', '--allow-any-user-socket', '--proto FILE']) {
    assert.ok(text.includes(flag), `help mentions ${flag}`);
  }
  const check = loadConfig({ argv: ['--check'] });
  assert.equal(check.kind, 'config');
  assert.equal((check as { checkOnly: boolean }).checkOnly, true);
});
