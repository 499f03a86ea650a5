// What every command gets: the client, the output mode, its own flags and
// arguments, and a signal that Ctrl-C aborts.
import { resolve } from 'node:path';
import type { KextBridgeClient } from '../client';
import type { KextTypes } from '../kext-types';
import { UsageError } from './exit-codes';

export interface Context {
  client: KextBridgeClient;
  json: boolean;
  args: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  signal: AbortSignal;
  out(line: string): void;
  err(line: string): void;
  // The kext's typed API, read once per command run.
  typed(): Promise<KextTypes>;
}

// Local .proto files that override the daemon's typed API: --proto files,
// else $KEXTBRIDGE_PROTO (a colon-separated list), else none.
export function protoFilesFrom(flagged: string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (flagged && flagged.length > 0) return flagged.map((f) => resolve(f));
  return (env['KEXTBRIDGE_PROTO'] ?? '').split(':').filter((f) => f !== '').map((f) => resolve(f));
}

// The daemon's typed API, or the override's; a disagreement between the
// two is told on stderr, field by field, before the override is used.
export function typedLoader(client: KextBridgeClient, files: string[] | undefined, err: (line: string) => void): () => Promise<KextTypes> {
  let types: Promise<KextTypes> | undefined;
  const load = async (): Promise<KextTypes> => {
    const t = await client.kextTypes({ protoFiles: protoFilesFrom(files) });
    if (t.disagreements.length > 0) {
      err(`kextbridge: warning: ${t.source.protoFiles.join(', ')} disagrees with the typed API the daemon serves; using ${t.source.protoFiles.length > 1 ? 'them' : 'it'} as asked (--proto / $KEXTBRIDGE_PROTO):`);
      for (const line of t.disagreements) err(`  ${line}`);
    }
    return t;
  };
  return () => (types ??= load());
}

export function printJson(ctx: Context, value: unknown): void {
  ctx.out(JSON.stringify(value));
}

// Bytes for a person: text when they are printable UTF-8, else hex.
export function showBytes(b: Uint8Array): string {
  if (b.length === 0) return '(empty)';
  const text = Buffer.from(b).toString('utf8');
  if (!text.includes('\uFFFD') && /^[\x20-\x7e\t\n\r\u00a0-\uffff]*$/.test(text)) return JSON.stringify(text);
  return `0x${Buffer.from(b).toString('hex')}`;
}

// A flag's whole number, undefined when it was not given.
export function whole(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new UsageError(`--${name} takes a whole number, not "${String(v)}"`);
  return Number(v);
}
