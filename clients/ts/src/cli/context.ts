// What every command gets: the client, the output mode, its own flags and
// arguments, and a signal that Ctrl-C aborts.
import { resolve } from 'node:path';
import type { KextBridgeClient } from '../client';
import { TypedApi } from './typed';

export interface Context {
  client: KextBridgeClient;
  json: boolean;
  args: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  signal: AbortSignal;
  out(line: string): void;
  err(line: string): void;
  typed(): TypedApi;
}

// The kext's typed API: --proto files, else $KEXTBRIDGE_PROTO (a
// colon-separated list), else none (payloads are then raw bytes).
export function protoFilesFrom(flagged: string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (flagged && flagged.length > 0) return flagged.map((f) => resolve(f));
  return (env['KEXTBRIDGE_PROTO'] ?? '').split(':').filter((f) => f !== '').map((f) => resolve(f));
}

export function typedLoader(files: string[] | undefined): () => TypedApi {
  let api: TypedApi | undefined;
  return () => (api ??= new TypedApi(protoFilesFrom(files)));
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
