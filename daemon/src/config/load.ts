// Reads the config file (JSON or XML plist: the same schema; plists are
// what MDM pushes on macOS), applies CLI flags over it and validates the
// result. Used at start and again on SIGHUP.
import { readFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import plist from 'plist';
import { parseCommandLine, type Override } from './cli';
import type { Config } from './schema';
import { validateConfig } from './validate';

export type FileFormat = 'json' | 'plist';

export type LoadResult =
  | { kind: 'config'; config: Config; configFile?: string; checkOnly: boolean }
  | { kind: 'help'; text: string }
  | { kind: 'error'; errors: string[] };

// The content decides when it can (an administrator may well name a plist
// kextbridge.conf); the extension only breaks a tie.
export function detectFormat(file: string, bytes: Buffer): FileFormat | 'binary-plist' {
  if (bytes.subarray(0, 6).toString('latin1') === 'bplist') return 'binary-plist';
  const text = bytes.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) return 'plist';
  if (text.startsWith('{')) return 'json';
  return extname(file).toLowerCase() === '.plist' ? 'plist' : 'json';
}

export function readConfigFile(file: string): { ok: true; raw: unknown } | { ok: false; error: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    return { ok: false, error: `${file}: cannot read: ${(err as Error).message}` };
  }
  const format = detectFormat(file, bytes);
  if (format === 'binary-plist') {
    return { ok: false, error: `${file}: binary plists are not supported; convert it with \`plutil -convert xml1 ${file}\`` };
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  try {
    return { ok: true, raw: format === 'json' ? JSON.parse(text) : parsePlist(text) };
  } catch (err) {
    return { ok: false, error: `${file}: not valid ${format === 'json' ? 'JSON' : 'plist'}: ${(err as Error).message}` };
  }
}

function parsePlist(text: string): unknown {
  // The parser returns undefined rather than throwing for some documents
  // with no <plist> element; both mean the file is not a plist.
  const value = plist.parse(text);
  if (value === undefined || value === null) throw new Error('no <plist> root element');
  return value;
}

// Sets each flag's key in a copy of the file's object. A key whose parent
// in the file is not an object is left alone: the file's error is the one
// to report.
export function applyOverrides(raw: unknown, overrides: readonly Override[]): { raw: unknown; origins: Map<string, string> } {
  const origins = new Map<string, string>();
  if (overrides.length === 0) return { raw, origins };
  if (raw !== undefined && !isRecord(raw)) return { raw, origins }; // the top level itself is wrong; report that
  // Copied along each flag's path only, so the file's object is untouched.
  const root: Record<string, unknown> = { ...(raw ?? {}) };
  next: for (const { key, value, flag } of overrides) {
    let node = root;
    for (const part of key.slice(0, -1)) {
      const child = node[part];
      if (child !== undefined && !isRecord(child)) continue next;
      node = node[part] = { ...(child ?? {}) };
    }
    node[key[key.length - 1]!] = value;
    origins.set(key.join('.'), flag);
  }
  return { raw: root, origins };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value);
}

export interface LoadOptions {
  argv: string[];
  cwd?: string;
  platform?: NodeJS.Platform;
}

export function loadConfig(options: LoadOptions): LoadResult {
  const cli = parseCommandLine(options.argv, options.cwd);
  if (cli.kind !== 'run') return cli;
  let raw: unknown;
  if (cli.configFile !== undefined) {
    const read = readConfigFile(cli.configFile);
    if (!read.ok) return { kind: 'error', errors: [read.error] };
    raw = read.raw;
  }
  const applied = applyOverrides(raw, cli.overrides);
  const validated = validateConfig(applied.raw, {
    platform: options.platform ?? process.platform,
    baseDir: cli.configFile !== undefined ? dirname(cli.configFile) : options.cwd ?? process.cwd(),
    origins: applied.origins,
  });
  if (!validated.ok) {
    const where = cli.configFile !== undefined ? `${cli.configFile}: ` : '';
    return { kind: 'error', errors: validated.errors.map((e) => where + e) };
  }
  const result: LoadResult = { kind: 'config', config: validated.config, checkOnly: cli.checkOnly };
  if (cli.configFile !== undefined) result.configFile = cli.configFile;
  return result;
}
