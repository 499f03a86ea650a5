// call: one command of the kext and its reply, typed when the daemon serves
// a typed method for it (or --proto has one).
import { readFileSync } from 'node:fs';
import { EXIT, UsageError } from '../exit-codes';
import { printJson, showBytes, type Context } from '../context';
import { decodeToJson, encodeJson } from '../typed';
import { ANY_USER, type Command } from '../command';
function rawPayload(ctx: Context): Buffer {
  const { hex, base64, file } = ctx.flags;
  const text = ctx.args[1];
  const given = [hex, base64, file, text].filter((v) => v !== undefined).length;
  if (given > 1) throw new UsageError('give the payload one way: as text, --hex, --base64 or --file');
  if (typeof hex === 'string') {
    if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new UsageError(`--hex: "${hex}" is not an even number of hex digits`);
    return Buffer.from(hex, 'hex');
  }
  if (typeof base64 === 'string') return Buffer.from(base64, 'base64');
  if (typeof file === 'string') return readFileSync(file === '-' ? 0 : file);
  return Buffer.from(text ?? '', 'utf8');
}

async function run(ctx: Context): Promise<number> {
  const command = ctx.args[0];
  if (!command) throw new UsageError('name the command: kextbridge call <command> [payload]');
  const types = await ctx.typed();
  const binding = types.find('command', command);
  let payload: Buffer;
  // A JSON object as payload is the typed method's request message (no
  // request message encodes as bytes starting with '{': that would be a
  // field 15 group).
  if (binding && ctx.args[1] !== undefined && ctx.args[1].trim().startsWith('{')) {
    try {
      payload = encodeJson(binding.request, ctx.args[1]);
    } catch (err) {
      throw new UsageError(`${command}: ${(err as Error).message}`);
    }
  } else if (ctx.json && !binding && ctx.args[1]?.trim().startsWith('{')) {
    const where = types.source.from === 'daemon' ? 'the typed API the daemon serves' : types.source.protoFiles.join(', ');
    const why = types.unavailable ? ` (${types.unavailable})` : '';
    throw new UsageError(`${command}: no typed method is bound to this command in ${where}${why}, so a JSON payload cannot be encoded; give the kext's .proto with --proto FILE (or $KEXTBRIDGE_PROTO), or the bytes with --hex, --base64 or --file`);
  } else {
    payload = rawPayload(ctx);
  }
  const reply = await ctx.client.call(command, payload, ctx.flags['timeout'] ? Number(ctx.flags['timeout']) : undefined);
  let decoded: Record<string, unknown> | undefined;
  if (binding) {
    try {
      decoded = decodeToJson(binding.response, reply);
    } catch {
      decoded = undefined;
    }
  }
  if (ctx.json) printJson(ctx, { command, reply: decoded ?? null, replyBase64: reply.toString('base64') });
  else ctx.out(decoded ? JSON.stringify(decoded, null, 2) : showBytes(reply));
  return EXIT.OK;
}

export const call: Command = {
  name: 'call',
  synopsis: '<command> [payload]',
  summary: 'run a command of the kext',
  who: ANY_USER,
  flags: { hex: { type: 'string' }, base64: { type: 'string' }, file: { type: 'string' } },
  help: `usage: kextbridge call <command> [payload] [--hex HEX | --base64 B64 | --file PATH]
       kextbridge call <command> '{"field": ...}' [--json]

Runs a command of the kext (by name or id). A JSON object as payload is the
command's typed request message; otherwise the payload is sent as bytes:
the text given, or --hex, --base64, or --file (- for stdin). The reply is
shown decoded when its type is known (with --json, as "reply"). Types come
from the daemon (the kext's .proto it serves, read through reflection);
--proto FILE overrides them, and says where it disagrees with the daemon.

examples:
  kextbridge call echo --json '{"data": "aGVsbG8="}'
  kextbridge call stats --json | jq .reply.framesIn
  kextbridge call 1 --hex 0a026869`,
  run,
};
