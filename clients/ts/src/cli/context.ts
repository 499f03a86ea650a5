// What every command gets: the client, the output mode, its own flags and
// arguments, and a signal that Ctrl-C aborts.
import { resolve } from 'node:path';
import type { KextBridgeClient } from '../client';
import { PROTO_DIR } from '../api';
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

export const DEFAULT_PROTOS = [resolve(PROTO_DIR, 'example/v1/example.proto')];

export function typedLoader(files: string[] | undefined): () => TypedApi {
  let api: TypedApi | undefined;
  return () => (api ??= new TypedApi(files && files.length > 0 ? files.map((f) => resolve(f)) : DEFAULT_PROTOS));
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
