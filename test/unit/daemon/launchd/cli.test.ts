import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { renderPlist, exitTimeoutSeconds, type LaunchdOptions } from 'kextbridged/internal/launchd/plist';
import { runLaunchdCommand } from 'kextbridged/internal/launchd/cli';
import { serviceUnit, socketUnit } from 'kextbridged/internal/launchd/systemd';
import { parsePlist } from '../../../support/plist';

const base: LaunchdOptions = {
  label: 'org.kextbridge.kextbridged',
  nodePath: '/usr/local/bin/node',
  installDir: '/usr/local/kextbridge',
  logDir: '/Library/Logs/kextbridge',
  drainGraceMs: 5000,
  configPath: '/Library/Application Support/kextbridge/config.plist',
};

function run(argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runLaunchdCommand(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('plist has the documented keys with the right types', () => {
  const p = parsePlist(renderPlist(base));
  assert.equal(p.Label, 'org.kextbridge.kextbridged');
  assert.deepEqual(p.ProgramArguments, [
    '/usr/local/bin/node',
    '/usr/local/kextbridge/dist/main.js',
    '--config',
    '/Library/Application Support/kextbridge/config.plist',
  ]);
  assert.equal(p.RunAtLoad, true);
  assert.deepEqual(p.KeepAlive, { SuccessfulExit: false }, 'restart on crash, not on clean exit');
  assert.equal(p.UserName, 'root');
  assert.equal(typeof p.ThrottleInterval, 'number');
  assert.ok(Number.isInteger(p.ExitTimeOut) && (p.ExitTimeOut as number) * 1000 > base.drainGraceMs, 'ExitTimeOut outlasts the drain');
  assert.deepEqual([p.SoftResourceLimits, p.HardResourceLimits], [{ NumberOfFiles: 8192 }, { NumberOfFiles: 8192 }], 'room for limits.maxConnections, not launchd\'s 256');
  assert.match(p.StandardOutPath as string, /^\/Library\/Logs\/kextbridge\//);
  assert.match(p.StandardErrorPath as string, /^\/Library\/Logs\/kextbridge\//);
  assert.equal(p.Sockets, undefined, 'no Sockets entry without socket activation');
  assert.equal(p.EnvironmentVariables, undefined);
});

test('socket activation adds a Sockets entry and the flag naming it', () => {
  const p = parsePlist(renderPlist({ ...base, socket: { path: '/var/run/kextbridge/kextbridge.sock', mode: 0o666 } }));
  const sockets = p.Sockets as Record<string, Record<string, unknown>>;
  assert.equal(sockets.Listener?.SockPathName, '/var/run/kextbridge/kextbridge.sock');
  assert.equal(sockets.Listener?.SockPathMode, 438, 'mode 0666 as launchd wants it, a decimal integer');
  assert.deepEqual((p.ProgramArguments as string[]).slice(-2), ['--launchd-socket', 'Listener']);
});

test('ExitTimeOut grows with the drain grace', () => {
  assert.equal(exitTimeoutSeconds(5000), 10);
  assert.equal(exitTimeoutSeconds(30000), 35);
});

test('bad labels and relative paths are refused with the reason', () => {
  assert.throws(() => renderPlist({ ...base, label: 'has space' }), /not a reverse-DNS name/);
  assert.throws(() => renderPlist({ ...base, nodePath: 'node' }), /nodePath must be an absolute path/);
});

test('install --dry-run lists every path and command and touches nothing', () => {
  const root = join(tmpdir(), `kb-dry-${process.pid}`);
  const r = run(['install', '--dry-run', '--root', root, '--prefix', '/opt/kb', '--node', '/usr/bin/node']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`would: write ${root}/Library/LaunchDaemons/org.kextbridge.kextbridged.plist \\(mode 644, owner root:wheel`));
  assert.match(r.out, /would: mkdir -p -m 755 .*\/var\/run\/kextbridge/);
  assert.match(r.out, /would: mkdir -p -m 755 .*\/Library\/Logs\/kextbridge/);
  assert.match(r.out, /would: launchctl bootstrap system .*org\.kextbridge\.kextbridged\.plist/);
  assert.match(r.out, /would: launchctl enable system\/org\.kextbridge\.kextbridged/);
  assert.match(r.out, /would: launchctl kickstart -k system\/org\.kextbridge\.kextbridged/);
  assert.equal(existsSync(root), false, 'a dry run creates nothing');
});

test('install on Linux without --root refuses and says what to do', { skip: process.platform === 'darwin' }, () => {
  const r = run(['install']);
  assert.equal(r.code, 2);
  assert.match(r.err, /launchd exists only on macOS; use --dry-run .* --root DIR/);
});

test('staged install writes the plist 0644 and reports launchctl as not available; uninstall removes it', { skip: process.platform === 'darwin' }, () => {
  const root = mkdtempSync(join(tmpdir(), 'kb-root-'));
  try {
    const r = run(['install', '--root', root, '--prefix', '/opt/kb', '--node', '/usr/bin/node']);
    assert.equal(r.code, 0, r.err);
    const plistFile = join(root, 'Library/LaunchDaemons/org.kextbridge.kextbridged.plist');
    assert.equal(statSync(plistFile).mode & 0o777, 0o644);
    assert.equal(parsePlist(readFileSync(plistFile, 'utf8')).Label, 'org.kextbridge.kextbridged');
    assert.match(r.out, /not available on linux: launchctl bootstrap system/);
    assert.doesNotMatch(r.out, /done: launchctl/, 'launchctl is never faked');
    writeFileSync(join(root, 'Library/Logs/kextbridge/kextbridged.log'), 'kept\n');
    const u = run(['uninstall', '--root', root]);
    assert.equal(u.code, 0, u.err);
    assert.equal(existsSync(plistFile), false);
    assert.equal(existsSync(join(root, 'var/run/kextbridge')), false, 'empty socket dir removed');
    assert.equal(existsSync(join(root, 'Library/Logs/kextbridge/kextbridged.log')), true, 'logs kept');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('bad flags get a precise error and the help text', () => {
  const r = run(['install', '--bogus']);
  assert.equal(r.code, 2);
  assert.match(r.err, /Unknown option '--bogus'/);
  assert.match(r.err, /usage: kextbridged/);
  const d = run(['print-plist', '--drain-grace-ms', 'soon']);
  assert.equal(d.code, 2);
  assert.match(d.err, /--drain-grace-ms must be a whole number/);
});

test('systemd units: service outlasts the drain, socket unit has path and mode', () => {
  const o = { nodePath: '/usr/bin/node', installDir: '/opt/kb', socketPath: '/run/kextbridge/kextbridge.sock', socketMode: 0o666, drainGraceMs: 5000 };
  const svc = serviceUnit(o, true);
  assert.match(svc, /^ExecStart=\/usr\/bin\/node \/opt\/kb\/dist\/main\.js --systemd-socket$/m);
  assert.match(svc, /^TimeoutStopSec=10$/m);
  assert.match(svc, /^LimitNOFILE=8192$/m);
  assert.match(svc, /^Requires=kextbridged\.socket$/m);
  const sock = socketUnit(o);
  assert.match(sock, /^ListenStream=\/run\/kextbridge\/kextbridge\.sock$/m);
  assert.match(sock, /^SocketMode=0666$/m);
});
