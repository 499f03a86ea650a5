// call, get, set: one request to the kext and its answer.
import { readFileSync } from 'node:fs';
import { EXIT, UsageError } from '../exit-codes';
import { printJson, showBytes, type Context } from '../context';
import { decodeToJson, encodeJson } from '../typed';
import type { OptionValue__Output } from '../../generated/kextbridge/v1/OptionValue';

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

export async function call(ctx: Context): Promise<number> {
  const command = ctx.args[0];
  if (!command) throw new UsageError('name the command: kextbridge call <command> [payload]');
  const binding = ctx.typed().find('command', command);
  let payload: Buffer;
  // --json with a JSON payload: the request is the typed method's message.
  if (ctx.json && binding && ctx.args[1] !== undefined && ctx.args[1].trim().startsWith('{')) {
    try {
      payload = encodeJson(binding.request, ctx.args[1]);
    } catch (err) {
      throw new UsageError(`${command}: ${(err as Error).message}`);
    }
  } else if (ctx.json && !binding && ctx.args[1]?.trim().startsWith('{')) {
    throw new UsageError(`${command}: no typed method is bound to this command, so a JSON payload cannot be encoded; give the kext's .proto with --proto FILE (or $KEXTBRIDGE_PROTO), or the bytes with --hex, --base64 or --file`);
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

function valueOf(v: OptionValue__Output): string | boolean {
  switch (v.value) {
    case 'boolValue':
      return Boolean(v.boolValue);
    case 'int64Value':
      return String(v.int64Value);
    case 'stringValue':
      return String(v.stringValue);
    default:
      return `0x${Buffer.from(v.bytesValue ?? []).toString('hex')}`;
  }
}

function showOption(ctx: Context, v: OptionValue__Output): void {
  if (ctx.json) printJson(ctx, { id: v.id, name: v.name, value: valueOf(v) });
  else ctx.out(`${v.name} = ${String(valueOf(v))}`);
}

export async function get(ctx: Context): Promise<number> {
  const option = ctx.args[0];
  if (!option) throw new UsageError('name the option: kextbridge get <option>');
  showOption(ctx, await ctx.client.getOption(option));
  return EXIT.OK;
}

export async function set(ctx: Context): Promise<number> {
  const [option, text] = ctx.args;
  if (!option || text === undefined) throw new UsageError('name the option and the value: kextbridge set <option> <value>');
  // The value is sent as the option's type, which Describe tells.
  const d = await ctx.client.describe();
  const o = d.options.find((x) => x.name === option || String(x.id) === option);
  if (!o) throw new UsageError(`no option "${option}"; the kext has: ${d.options.map((x) => x.name).join(', ') || 'none'}`);
  let value: boolean | bigint | string | Buffer;
  switch (o.type) {
    case 'VALUE_TYPE_BOOL':
      if (!/^(true|false|1|0|on|off|yes|no)$/i.test(text)) throw new UsageError(`${o.name} is a bool: give true or false, not "${text}"`);
      value = /^(true|1|on|yes)$/i.test(text);
      break;
    case 'VALUE_TYPE_INT64':
      if (!/^-?\d+$/.test(text)) throw new UsageError(`${o.name} is an integer (${o.min}..${o.max}), not "${text}"`);
      value = BigInt(text);
      break;
    case 'VALUE_TYPE_BYTES':
      if (!/^(0x)?([0-9a-fA-F]{2})*$/.test(text)) throw new UsageError(`${o.name} takes bytes: give them as hex, e.g. 0x0102`);
      value = Buffer.from(text.replace(/^0x/, ''), 'hex');
      break;
    default:
      value = text;
  }
  showOption(ctx, await ctx.client.setOption(o.id, value));
  return EXIT.OK;
}
