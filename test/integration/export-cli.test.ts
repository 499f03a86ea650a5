// kextbridge-export's command line without NATS: what it refuses, and how
// it says so; the service it prints and installs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parsePlist } from 'plist';
import { ROOT } from '../support/paths';

const run = (args: string[]): { status: number | null; stderr: string } => {
  const r = spawnSync(process.execPath, [join(ROOT, 'export/dist/main.js'), ...args], { encoding: 'utf8', timeout: 15_000 });
  return { status: r.status, stderr: r.stderr };
};

test('run with no topic to export is a usage error that says what to give; status needs no topics', () => {
  const none = run(['run', '--server', 'nats://127.0.0.1:1']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /topics: name at least one topic to export \(config "topics" or --topic\)/);
  const status = run(['status', '--cursor', '/nonexistent/cursor']);
  assert.equal(status.status, 1);
  assert.match(status.stderr, /ENOENT.*\/nonexistent\/cursor\.status\.json/);
});

test('a bad flag value names the flag and what it got', () => {
  const bad = run(['run', '--topic', 'exec', '--replicas', '9']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--replicas: replicas must be an integer 1\.\.5, got 9/);
});

// A systemd command line split as systemd does (systemd.service(5),
// "Command lines"; systemd.syntax(7), quoting): words apart by whitespace,
// double or single quotes around a word, \\ \" \' escapes in quotes, %%
// for a literal % (any other % is a specifier) and $$ for a literal $
// (any other $ expands a variable).
function systemdWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let word = '';
    const quote = line[i] === '"' || line[i] === "'" ? line[i++] : '';
    for (; i < line.length; i++) {
      const ch = line[i]!;
      if (quote && ch === quote) {
        i++;
        break;
      }
      if (!quote && (ch === ' ' || ch === '\t')) break;
      if (quote && ch === '\\') {
        word += line[++i];
        continue;
      }
      if (ch === '%') {
        assert.equal(line[i + 1], '%', `a specifier %${line[i + 1]} in ${line}`);
        i++;
      }
      if (ch === '$') {
        assert.equal(line[i + 1], '$', `a variable after $ in ${line}`);
        i++;
      }
      word += ch;
    }
    words.push(word);
  }
  return words;
}

const main = join(ROOT, 'export/dist/main.js');
const stdout = (args: string[]): string => {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 15_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};
const execStart = (unit: string): string[] => systemdWords(/^ExecStart=(.*)$/m.exec(unit)![1]!);

test('print-systemd: ExecStart is one word per argument as systemd splits it, with a Linux default config, and systemd-analyze accepts the unit', () => {
  const byDefault = stdout(['print-systemd']);
  assert.deepEqual(execStart(byDefault), [process.execPath, main, 'run', '--config', '/etc/kextbridge/export.json', '--cursor', '/var/lib/kextbridge-export/cursor']);
  assert.match(byDefault, /^User=kbexport$/m);
  const awkward = '/etc/kb export/ex%port$HOME "q" \\.json';
  const unit = stdout(['print-systemd', '--config', awkward, '--user', 'kbx']);
  assert.deepEqual(execStart(unit), [process.execPath, main, 'run', '--config', awkward, '--cursor', '/var/lib/kextbridge-export/cursor']);
  // systemd itself: the unit file parses and its command exists.
  const dir = mkdtempSync(join(tmpdir(), 'kb-export-unit-'));
  try {
    for (const [name, text] of [['plain', byDefault], ['awkward', unit]] as const) {
      mkdirSync(join(dir, name));
      const file = join(dir, name, 'kextbridge-export.service');
      writeFileSync(file, text.replace(/^#.*\n/, ''));
      const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
      assert.ok(!verify.error, `systemd-analyze is not installed: scripts/setup.sh installs systemd (${String(verify.error)})`);
      assert.equal(verify.status, 0, `${name}: ${verify.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('print-plist: the macOS paths, each argument one ProgramArguments string', () => {
  const plist = parsePlist(stdout(['print-plist'])) as { ProgramArguments: string[]; UserName: string };
  assert.deepEqual(plist.ProgramArguments, [process.execPath, main, 'run', '--config', '/Library/Application Support/kextbridge/export.json', '--cursor', '/var/db/kbexport/cursor']);
  assert.equal(plist.UserName, '_kbexport');
});

test('install --dry-run prints every step for either platform and changes nothing', () => {
  const mac = stdout(['install', '--dry-run', '--platform', 'darwin']).trim().split('\n');
  assert.deepEqual(mac.map((l) => l.replace(/\s+#.*$/, '').replace(/\(mode .*$/, '(mode …)')), [
    'would: create system user _kbexport unless it exists (dscl: hidden, no shell, home /var/empty, uid and gid the lowest free in 200..400)',
    'would: mkdir -p -m 750 /var/db/kbexport (owner _kbexport)',
    'would: mkdir -p -m 755 /Library/LaunchDaemons',
    'would: mkdir -p -m 755 /Library/Logs/kextbridge',
    'would: /bin/launchctl bootout system/org.kextbridge.export',
    'would: write /Library/LaunchDaemons/org.kextbridge.export.plist (mode …)',
    'would: /bin/launchctl bootstrap system /Library/LaunchDaemons/org.kextbridge.export.plist',
    'would: /bin/launchctl enable system/org.kextbridge.export',
    'would: /bin/launchctl kickstart -k system/org.kextbridge.export',
  ]);
  const linux = stdout(['install', '--dry-run', '--platform', 'linux']);
  assert.match(linux, /^would: create system user kbexport unless it exists \(useradd --system/m);
  assert.match(linux, /^would: write \/etc\/systemd\/system\/kextbridge-export\.service/m);
  assert.match(linux, /^would: systemctl enable kextbridge-export\.service/m);
  assert.equal(existsSync('/etc/systemd/system/kextbridge-export.service'), false);
});

test('install --root stages the unit and the state directory, runs no user or service command; uninstall --root removes the unit and keeps the cursor', () => {
  const root = mkdtempSync(join(tmpdir(), 'kb-export-root-'));
  try {
    const lines = stdout(['install', '--root', root, '--platform', 'linux', '--config', '/etc/kb/export.json']);
    assert.match(lines, /^not run under --root: create system user kbexport/m);
    assert.match(lines, /^not run under --root: systemctl daemon-reload/m);
    const unit = readFileSync(join(root, 'etc/systemd/system/kextbridge-export.service'), 'utf8');
    assert.equal(unit, stdout(['print-systemd', '--config', '/etc/kb/export.json']).replace(/^#.*\n/, ''));
    assert.equal(statSync(join(root, 'var/lib/kextbridge-export')).mode & 0o777, 0o750);
    writeFileSync(join(root, 'var/lib/kextbridge-export/cursor'), '{"epoch":"1","seq":1}\n');
    stdout(['uninstall', '--root', root, '--platform', 'linux']);
    assert.equal(existsSync(join(root, 'etc/systemd/system/kextbridge-export.service')), false);
    assert.equal(existsSync(join(root, 'var/lib/kextbridge-export/cursor')), true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('install refuses what it cannot do, saying what to use instead', () => {
  const other = run(['install', '--platform', process.platform === 'darwin' ? 'linux' : 'darwin']);
  assert.equal(other.status, 2);
  assert.match(other.stderr, /use --dry-run to see the plan, or --root DIR to stage the files/);
  const badUser = run(['print-systemd', '--user', 'a b']);
  assert.equal(badUser.status, 2);
  assert.match(badUser.stderr, /--user must be a user name/);
});
