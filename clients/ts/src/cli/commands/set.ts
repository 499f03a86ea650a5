// set: set one option of the kext, the value read as the option's type.
import { EXIT, UsageError } from '../exit-codes';
import type { Context } from '../context';
import { ANY_USER, type Command } from '../command';
import { showOption } from './option-value';
async function run(ctx: Context): Promise<number> {
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

export const set: Command = {
  name: 'set',
  synopsis: '<option> <value>',
  summary: 'set an option',
  who: ANY_USER,
  flags: {},
  help: `usage: kextbridge set <option> <value>

Sets an option; the value is read as the option's type (bool: true/false,
integer, string, bytes as hex). Out-of-range values are refused before they
reach the kext.

example:
  kextbridge set log_level 3`,
  run,
};
