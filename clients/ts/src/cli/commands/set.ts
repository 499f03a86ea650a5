// set: set one option of the kext, the value read as the option's type.
import { EXIT, UsageError } from '../exit-codes';
import type { Context } from '../context';
import { ANY_USER, type Command } from '../command';
import { showOption } from './option-value';
import type { MethodBinding } from '@kextbridge/protocol';

// The value out of the option's typed set message, given as JSON
// ('{"step": 5}'): its one field.
function valueFromMessage(option: string, json: string, setter: MethodBinding | undefined): string {
  const field = setter?.request.fieldsArray[0];
  if (!setter || !field) throw new UsageError(`${option}: no typed set method is bound to this option, so give the value itself, not a JSON message`);
  let message: unknown;
  try {
    message = JSON.parse(json);
  } catch (err) {
    throw new UsageError(`${option}: not JSON: ${(err as Error).message}`);
  }
  const keys = typeof message === 'object' && message !== null && !Array.isArray(message) ? Object.keys(message) : [];
  if (keys.length !== 1 || keys[0] !== field.name) throw new UsageError(`${option}: ${setter.request.name} has one field, "${field.name}": give {"${field.name}": value}`);
  return String((message as Record<string, unknown>)[field.name]);
}
async function run(ctx: Context): Promise<number> {
  const [option, given] = ctx.args;
  if (!option || given === undefined) throw new UsageError('name the option and the value: kextbridge set <option> <value>');
  // The value is sent as the option's type, which Describe tells.
  const [d, types] = await Promise.all([ctx.client.describe(), ctx.typed()]);
  const o = d.options.find((x) => x.name === option || String(x.id) === option);
  if (!o) throw new UsageError(`no option "${option}"; the kext has: ${d.options.map((x) => x.name).join(', ') || 'none'}`);
  const setter = types.find('option', option, 'set');
  const text = given.trim().startsWith('{') ? valueFromMessage(o.name, given, setter) : given;
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
  showOption(ctx, await ctx.client.setOption(o.id, value), types.find('option', option, 'get'));
  return EXIT.OK;
}

export const set: Command = {
  name: 'set',
  synopsis: '<option> <value>',
  summary: 'set an option',
  who: ANY_USER,
  flags: {},
  help: `usage: kextbridge set <option> <value>

Sets an option; the value is read as the option's type (bool: true/false,
integer, string, bytes as hex), or taken from the option's typed set
message given as JSON ('{"level": 3}') when the daemon serves one. With
--json the value stored is also shown as the typed message ("message").
Out-of-range values are refused before they reach the kext.

example:
  kextbridge set log_level 3`,
  run,
};
