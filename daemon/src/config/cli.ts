// Command-line flags of kextbridged. Each flag overrides one config key,
// so a flag and the file it overrides are validated by the same code and
// report errors the same way (with the flag named as the value's origin).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { keyList, type KeySpec } from './keys';
import { closest } from '@kextbridge/protocol';

type FlagKind = 'path' | 'string' | 'integer' | 'boolean' | 'paths';

interface FlagSpec {
  key: string[]; // config key path the flag sets
  kind: FlagKind;
  arg?: string; // placeholder in --help
  help: string;
}

// How a flag's text becomes the key's value.
function kindOf(spec: KeySpec): FlagKind {
  switch (spec.type) {
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'socketPath':
      return 'path';
    case 'files':
    case 'directories':
      return 'paths';
    default:
      return 'string';
  }
}

// The first sentence of a key's doc line, and an integer's bounds and
// default, as --help's text.
function shortHelp(spec: KeySpec): string {
  const first = spec.doc.split(/(?<=\.)\s+(?=[A-Z])/)[0]!.replace(/\.$/, '');
  return spec.type === 'integer' ? `${first} (${spec.min}..${spec.max}, default ${String(spec.default)})` : first;
}

const FLAGS: Record<string, FlagSpec> = Object.fromEntries(
  keyList()
    .filter(({ spec }) => spec.flag)
    .map(({ path, spec }) => [spec.flag!.name, { key: path.split('.'), kind: kindOf(spec), ...(spec.flag!.arg ? { arg: spec.flag!.arg } : {}), help: spec.flag!.help ?? shortHelp(spec) }]),
);

// Handled before the config is read (server/activation.ts), listed here
// so --help names them.
const ACTIVATION_HELP: Array<[string, string]> = [
  ['--systemd-socket', 'take the listening socket from systemd (LISTEN_FDS; a .socket unit)'],
  ['--launchd-socket NAME', "take it from launchd (the plist's Sockets entry NAME)"],
];

export interface Override {
  key: string[];
  value: unknown;
  flag: string; // as typed, for error messages
}

export type CliResult =
  | { kind: 'help'; text: string }
  | { kind: 'run'; configFile?: string; checkOnly: boolean; overrides: Override[] }
  | { kind: 'error'; errors: string[] };

export function helpText(): string {
  const lines = [
    'usage: kextbridged [--config FILE] [flags]',
    '',
    '  --config FILE             config file, JSON or plist (flags override its keys)',
    '  --check                   validate the configuration and exit',
    '  --help                    show this text',
  ];
  for (const [name, spec] of Object.entries(FLAGS)) {
    const left = `--${name}${spec.arg ? ` ${spec.arg}` : ''}`;
    lines.push(`  ${left.padEnd(25)} ${spec.help}`);
  }
  for (const [left, help] of ACTIVATION_HELP) lines.push(`  ${left.padEnd(25)} ${help}`);
  lines.push('', 'Every config key, its default and bounds: docs/configuration.md.', 'Also: kextbridged install | uninstall | print-plist | print-systemd (--help for each).');
  return lines.join('\n') + '\n';
}

const KNOWN = ['config', 'check', 'help', ...Object.keys(FLAGS)];

export function parseCommandLine(argv: string[], cwd: string = process.cwd()): CliResult {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {
    config: { type: 'string' },
    check: { type: 'boolean' },
    help: { type: 'boolean' },
  };
  for (const [name, spec] of Object.entries(FLAGS)) {
    options[name] = spec.kind === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple: spec.kind === 'paths' };
  }
  // Not strict: parseArgs's own errors do not name a close known flag, so
  // the tokens are checked here instead.
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });

  const errors: string[] = [];
  const overrides: Override[] = [];
  let configFile: string | undefined;
  let checkOnly = false;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      errors.push(`unexpected argument ${JSON.stringify(token.value)}; flags start with --`);
      continue;
    }
    if (token.kind !== 'option') continue;
    const { name, rawName, value } = token;
    if (!KNOWN.includes(name) || rawName.length === 2 /* -x: no short flags */) {
      const guess = closest(name, KNOWN);
      errors.push(`unknown flag ${rawName}${guess ? `; did you mean --${guess}?` : ''} (--help lists them)`);
      continue;
    }
    const isBoolean = options[name]!.type === 'boolean';
    if (isBoolean && value !== undefined) {
      errors.push(`${rawName} takes no value, got ${JSON.stringify(value)}`);
      continue;
    }
    if (!isBoolean && (value === undefined || value === '')) {
      errors.push(`${rawName} needs a value`);
      continue;
    }
    if (name === 'help') return { kind: 'help', text: helpText() };
    if (name === 'check') {
      checkOnly = true;
      continue;
    }
    if (name === 'config') {
      configFile = resolve(cwd, value!);
      continue;
    }
    const spec = FLAGS[name]!;
    const previous = overrides.find((o) => o.flag === rawName);
    switch (spec.kind) {
      case 'boolean':
        overrides.push({ key: spec.key, value: true, flag: rawName });
        break;
      case 'path':
        overrides.push({ key: spec.key, value: resolve(cwd, value!), flag: rawName });
        break;
      case 'paths':
        if (previous) (previous.value as string[]).push(resolve(cwd, value!));
        else overrides.push({ key: spec.key, value: [resolve(cwd, value!)], flag: rawName });
        break;
      case 'integer':
        // Left a string when not digits, so the validator reports it.
        overrides.push({ key: spec.key, value: /^[0-9]+$/.test(value!) ? Number(value) : value, flag: rawName });
        break;
      case 'string':
        overrides.push({ key: spec.key, value: value!, flag: rawName });
        break;
    }
  }
  if (errors.length > 0) return { kind: 'error', errors };
  return configFile === undefined ? { kind: 'run', checkOnly, overrides } : { kind: 'run', configFile, checkOnly, overrides };
}
