// install / uninstall as a list of steps, so that --dry-run prints exactly
// what a real run does, and a run on a machine without launchd says which
// steps it could not take instead of pretending.
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';

import { renderPlist, type LaunchdOptions } from './plist';

export type Step =
  | { kind: 'mkdir'; path: string; mode: number }
  | { kind: 'write'; path: string; mode: number; content: string }
  | { kind: 'remove'; path: string }
  | { kind: 'rmdir-if-empty'; path: string }
  | { kind: 'launchctl'; argv: string[]; mayFail: boolean; why: string };

export interface InstallOptions extends LaunchdOptions {
  // Filesystem root the files go under: '/' for a real install, a staging
  // directory for packaging or tests.
  root: string;
  socketDir: string;
}

export function plistPath(o: { root: string; label: string }): string {
  return join(o.root, 'Library/LaunchDaemons', `${o.label}.plist`);
}

export function planInstall(o: InstallOptions): Step[] {
  const target = `system/${o.label}`;
  const plist = plistPath(o);
  return [
    { kind: 'mkdir', path: join(o.root, o.socketDir), mode: 0o755 },
    { kind: 'mkdir', path: join(o.root, o.logDir), mode: 0o755 },
    { kind: 'mkdir', path: dirname(plist), mode: 0o755 },
    { kind: 'launchctl', argv: ['bootout', target], mayFail: true, why: 'stop a previous version, if loaded' },
    { kind: 'write', path: plist, mode: 0o644, content: renderPlist(o) },
    { kind: 'launchctl', argv: ['bootstrap', 'system', plist], mayFail: false, why: 'load the job' },
    { kind: 'launchctl', argv: ['enable', target], mayFail: false, why: 'start it at boot' },
    { kind: 'launchctl', argv: ['kickstart', '-k', target], mayFail: false, why: 'start it now' },
  ];
}

export function planUninstall(o: InstallOptions): Step[] {
  return [
    { kind: 'launchctl', argv: ['bootout', `system/${o.label}`], mayFail: true, why: 'stop and unload the job' },
    { kind: 'remove', path: plistPath(o) },
    { kind: 'remove', path: join(o.root, o.socketDir, 'kextbridge.sock') },
    { kind: 'rmdir-if-empty', path: join(o.root, o.socketDir) },
    // Logs are kept unless empty: they may be needed after an uninstall.
    { kind: 'rmdir-if-empty', path: join(o.root, o.logDir) },
  ];
}

export function describeStep(s: Step): string {
  switch (s.kind) {
    case 'mkdir':
      return `mkdir -p -m ${s.mode.toString(8)} ${s.path}`;
    case 'write':
      return `write ${s.path} (mode ${s.mode.toString(8)}, owner root:wheel, ${Buffer.byteLength(s.content)} bytes)`;
    case 'remove':
      return `rm -f ${s.path}`;
    case 'rmdir-if-empty':
      return `rmdir ${s.path} (if empty)`;
    case 'launchctl':
      return `launchctl ${s.argv.join(' ')}    # ${s.why}${s.mayFail ? ' (may fail)' : ''}`;
  }
}

export interface RunResult {
  ok: boolean;
  lines: string[];
}

// root:wheel on macOS and root:root elsewhere are both uid 0, gid 0.
function chownRoot(path: string): void {
  if (process.getuid?.() === 0) chownSync(path, 0, 0);
}

export function runSteps(steps: Step[], opts: { dryRun: boolean; platform: NodeJS.Platform }): RunResult {
  const lines: string[] = [];
  let ok = true;
  for (const s of steps) {
    const text = describeStep(s);
    if (opts.dryRun) {
      lines.push(`would: ${text}`);
      continue;
    }
    try {
      switch (s.kind) {
        case 'mkdir':
          mkdirSync(s.path, { recursive: true, mode: s.mode });
          break;
        case 'write':
          writeFileSync(s.path, s.content, { mode: s.mode });
          chmodSync(s.path, s.mode);
          chownRoot(s.path);
          break;
        case 'remove':
          if (existsSync(s.path)) unlinkSync(s.path);
          break;
        case 'rmdir-if-empty':
          if (existsSync(s.path) && readdirSync(s.path).length === 0) rmdirSync(s.path);
          break;
        case 'launchctl': {
          if (opts.platform !== 'darwin') {
            lines.push(`not available on ${opts.platform}: ${text}`);
            continue;
          }
          const r = spawnSync('/bin/launchctl', s.argv, { encoding: 'utf8' });
          if (r.status !== 0 && !s.mayFail) {
            ok = false;
            lines.push(`failed: ${text}: ${(r.stderr || r.stdout || String(r.error)).trim()}`);
            return { ok, lines };
          }
          break;
        }
      }
      lines.push(`done: ${text}`);
    } catch (err) {
      lines.push(`failed: ${text}: ${(err as Error).message}`);
      return { ok: false, lines };
    }
  }
  return { ok, lines };
}
