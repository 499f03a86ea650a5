// docs/configuration.md, made from the key table: the reference an
// administrator reads is the table the daemon validates with. A unit test
// fails when the checked-in file differs; `npm run gen:docs` rewrites it.
import { defaultOf, keyList, type KeySpec } from './keys';

const TYPES: Record<KeySpec['type'], string> = {
  integer: 'integer',
  boolean: 'boolean',
  string: 'string',
  socketPath: 'absolute path',
  listen: 'loopback host:port or absolute path',
  fileMode: 'mode',
  logLevel: 'log level',
  group: 'group name or gid',
  files: 'array of files',
  directories: 'array of directories',
  policy: 'policy',
  upcallDecisions: 'upcall decisions',
};

function shownDefault(spec: KeySpec, platform: NodeJS.Platform): string {
  const value = defaultOf(spec, platform);
  if (spec.type === 'fileMode') return `\`"0${(value as number).toString(8)}"\``;
  if (spec.type === 'policy') return 'root and the admin group only, for privileged items and for setting set-privileged options; anyone, for the rest';
  if (spec.type === 'upcallDecisions') return '`any_deny` with no deny rule, for every upcall';
  if (value === '') return '(none)';
  return `\`${JSON.stringify(value)}\``;
}

function bounds(spec: KeySpec): string {
  if (spec.type === 'integer') return `${spec.min}..${spec.max}${spec.unit ? ` ${spec.unit}` : ''}`;
  if (spec.type === 'socketPath' || (spec.type === 'string' && spec.maxBytes !== undefined)) return `at most ${spec.maxBytes} bytes`;
  return '';
}

export function configReference(): string {
  const rows = keyList().map(({ path, spec }) => {
    const linux = shownDefault(spec, 'linux');
    const darwin = shownDefault(spec, 'darwin');
    const def = linux === darwin ? linux : `${darwin} (macOS), ${linux} (Linux)`;
    const flag = spec.flag ? `\`--${spec.flag.name}${spec.flag.arg ? ` ${spec.flag.arg}` : ''}\`` : '';
    return `| \`${path}\` | ${TYPES[spec.type]} | ${def} | ${bounds(spec)} | ${flag} | ${spec.doc.replace(/\|/g, '\\|')} |`;
  });
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from daemon/src/config/keys.ts by `npm run gen:docs`; a unit test fails when it is stale. -->',
    '',
    'kextbridged reads one config file, JSON or an Apple plist with the same keys',
    '(`--config FILE`); each flag below overrides one key. Every key is optional.',
    'An unknown key is an error that names the closest known one; each error names',
    'the key path and, for a flag, the flag. `kextbridged --check --config FILE`',
    'validates and exits. SIGHUP re-reads the file and applies `logLevel` and',
    '`policy` (docs/operations.md; the policy\'s shape with an example: [kext-authors.md](kext-authors.md#7-who-may-do-what-the-policy)).',
    '',
    '| key | type | default | bounds | flag | meaning |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    'Besides these, `--systemd-socket` and `--launchd-socket NAME` take the',
    'listening socket from the service manager (docs/operations.md).',
    '',
  ].join('\n');
}
