// `kextbridge-export install | uninstall` as a list of steps, so that
// --dry-run prints exactly what a real run does: the exporter's own system
// user, its state directory (owned by that user: the cursor), the plist or
// unit, and the service manager's commands. Under --root (staging,
// packaging) the files go below that directory and nothing is done to the
// running system: no user, no service manager; each skipped step says so.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { renderPlist, renderSystemdUnit, UNIT, type ServiceOptions, type ServicePlatform } from './service';

export type Step =
  | { kind: 'user'; name: string }
  | { kind: 'mkdir'; path: string; mode: number; owner?: string }
  | { kind: 'write'; path: string; mode: number; content: string }
  | { kind: 'remove'; path: string }
  | { kind: 'command'; argv: string[]; mayFail: boolean; why: string };

export interface InstallOptions extends ServiceOptions {
  platform: ServicePlatform;
  // '/' for a real install, a staging directory otherwise.
  root: string;
}

export function servicePath(o: InstallOptions): string {
  return o.platform === 'darwin' ? join(o.root, 'Library/LaunchDaemons', `${o.label}.plist`) : join(o.root, 'etc/systemd/system', UNIT);
}

export function planInstall(o: InstallOptions): Step[] {
  const file = servicePath(o);
  const common: Step[] = [
    { kind: 'user', name: o.user },
    { kind: 'mkdir', path: join(o.root, o.stateDir), mode: 0o750, owner: o.user },
    { kind: 'mkdir', path: dirname(file), mode: 0o755 },
  ];
  if (o.platform === 'darwin') {
    const target = `system/${o.label}`;
    return [
      ...common,
      { kind: 'mkdir', path: join(o.root, o.logDir), mode: 0o755 },
      { kind: 'command', argv: ['/bin/launchctl', 'bootout', target], mayFail: true, why: 'stop a previous version, if loaded' },
      { kind: 'write', path: file, mode: 0o644, content: renderPlist(o) },
      { kind: 'command', argv: ['/bin/launchctl', 'bootstrap', 'system', file], mayFail: false, why: 'load the job' },
      { kind: 'command', argv: ['/bin/launchctl', 'enable', target], mayFail: false, why: 'start it at boot' },
      { kind: 'command', argv: ['/bin/launchctl', 'kickstart', '-k', target], mayFail: false, why: 'start it now' },
    ];
  }
  return [
    ...common,
    { kind: 'write', path: file, mode: 0o644, content: renderSystemdUnit(o) },
    { kind: 'command', argv: ['systemctl', 'daemon-reload'], mayFail: false, why: 'read the unit' },
    { kind: 'command', argv: ['systemctl', 'enable', UNIT], mayFail: false, why: 'start it at boot' },
    { kind: 'command', argv: ['systemctl', 'restart', UNIT], mayFail: false, why: 'start it now' },
  ];
}

// The user and the state directory (the cursor) are kept: a reinstall
// resumes where the export stood.
export function planUninstall(o: InstallOptions): Step[] {
  const file = servicePath(o);
  if (o.platform === 'darwin') {
    return [
      { kind: 'command', argv: ['/bin/launchctl', 'bootout', `system/${o.label}`], mayFail: true, why: 'stop and unload the job' },
      { kind: 'remove', path: file },
    ];
  }
  return [
    { kind: 'command', argv: ['systemctl', 'disable', '--now', UNIT], mayFail: true, why: 'stop it and take it off the boot' },
    { kind: 'remove', path: file },
    { kind: 'command', argv: ['systemctl', 'daemon-reload'], mayFail: false, why: 'forget the unit' },
  ];
}

const USER_HOW: Record<ServicePlatform, string> = {
  linux: 'useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin',
  darwin: 'dscl: hidden, no shell, home /var/empty, uid and gid the lowest free in 200..400',
};

export function describeStep(s: Step, platform: ServicePlatform): string {
  switch (s.kind) {
    case 'user':
      return `create system user ${s.name} unless it exists (${USER_HOW[platform]})`;
    case 'mkdir':
      return `mkdir -p -m ${s.mode.toString(8)} ${s.path}${s.owner ? ` (owner ${s.owner})` : ''}`;
    case 'write':
      return `write ${s.path} (mode ${s.mode.toString(8)}, owner root, ${Buffer.byteLength(s.content)} bytes)`;
    case 'remove':
      return `rm -f ${s.path}`;
    case 'command':
      return `${s.argv.join(' ')}    # ${s.why}${s.mayFail ? ' (may fail)' : ''}`;
  }
}

export interface RunOptions {
  dryRun: boolean;
  // Files under a staging root: the system itself is left alone.
  staged: boolean;
  platform: ServicePlatform;
}

function run(argv: string[]): { ok: boolean; out: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  return { ok: r.status === 0, out: (r.stderr || r.stdout || String(r.error ?? '')).trim() };
}

function uidOf(name: string): { uid: number; gid: number } | null {
  const u = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (u.status !== 0 || g.status !== 0) return null;
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

// The lowest id in 200..400 that no user and no group of the directory
// has (macOS keeps system accounts below 500).
function freeDarwinId(): number {
  const taken = new Set<number>();
  for (const [path, key] of [['/Users', 'UniqueID'], ['/Groups', 'PrimaryGroupID']] as const) {
    const r = spawnSync('/usr/bin/dscl', ['.', '-list', path, key], { encoding: 'utf8' });
    for (const line of r.stdout.split('\n')) taken.add(Number(line.trim().split(/\s+/).at(-1)));
  }
  for (let id = 200; id <= 400; id++) if (!taken.has(id)) return id;
  throw new Error('no free uid/gid in 200..400 for the exporter\'s user; create it yourself and pass --user');
}

function createUser(name: string, platform: ServicePlatform): void {
  if (uidOf(name)) return;
  const steps: string[][] = [];
  if (platform === 'linux') {
    steps.push(['useradd', '--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name]);
  } else {
    const id = String(freeDarwinId());
    const dscl = (...a: string[]): string[] => ['/usr/bin/dscl', '.', ...a];
    steps.push(
      dscl('-create', `/Groups/${name}`), dscl('-create', `/Groups/${name}`, 'PrimaryGroupID', id),
      dscl('-create', `/Users/${name}`), dscl('-create', `/Users/${name}`, 'UniqueID', id), dscl('-create', `/Users/${name}`, 'PrimaryGroupID', id),
      dscl('-create', `/Users/${name}`, 'UserShell', '/usr/bin/false'), dscl('-create', `/Users/${name}`, 'NFSHomeDirectory', '/var/empty'),
      dscl('-create', `/Users/${name}`, 'RealName', 'kextbridge-export'), dscl('-create', `/Users/${name}`, 'IsHidden', '1'),
    );
  }
  for (const argv of steps) {
    const r = run(argv);
    if (!r.ok) throw new Error(`${argv.join(' ')}: ${r.out}`);
  }
}

export function runSteps(steps: Step[], o: RunOptions): { ok: boolean; lines: string[] } {
  const lines: string[] = [];
  for (const s of steps) {
    const text = describeStep(s, o.platform);
    if (o.dryRun) {
      lines.push(`would: ${text}`);
      continue;
    }
    if (o.staged && (s.kind === 'user' || s.kind === 'command')) {
      lines.push(`not run under --root: ${text}`);
      continue;
    }
    if (!o.staged && s.kind === 'command' && o.platform !== process.platform) {
      lines.push(`not available on ${process.platform}: ${text}`);
      continue;
    }
    try {
      switch (s.kind) {
        case 'user':
          createUser(s.name, o.platform);
          break;
        case 'mkdir': {
          mkdirSync(s.path, { recursive: true, mode: s.mode });
          chmodSync(s.path, s.mode);
          const owner = s.owner ? uidOf(s.owner) : null;
          if (owner) chownSync(s.path, owner.uid, owner.gid);
          else if (s.owner) lines.push(`note: no user ${s.owner} here: ${s.path} stays owned by ${process.getuid?.() ?? '?'}`);
          break;
        }
        case 'write':
          writeFileSync(s.path, s.content, { mode: s.mode });
          chmodSync(s.path, s.mode);
          if (process.getuid?.() === 0) chownSync(s.path, 0, 0);
          break;
        case 'remove':
          if (existsSync(s.path)) unlinkSync(s.path);
          break;
        case 'command': {
          const r = run(s.argv);
          if (!r.ok && !s.mayFail) {
            lines.push(`failed: ${text}: ${r.out}`);
            return { ok: false, lines };
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
  return { ok: true, lines };
}
