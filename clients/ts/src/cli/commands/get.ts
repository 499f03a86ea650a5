// get: read one option of the kext.
import { EXIT, UsageError } from '../exit-codes';
import type { Context } from '../context';
import { ANY_USER, type Command } from '../command';
import { showOption } from './option-value';
async function run(ctx: Context): Promise<number> {
  const option = ctx.args[0];
  if (!option) throw new UsageError('name the option: kextbridge get <option>');
  const [value, types] = await Promise.all([ctx.client.getOption(option), ctx.typed()]);
  showOption(ctx, value, types.find('option', option, 'get'));
  return EXIT.OK;
}

export const get: Command = {
  name: 'get',
  synopsis: '<option>',
  summary: 'read an option',
  who: ANY_USER,
  flags: {},
  help: `usage: kextbridge get <option>

Reads an option of the kext (by name or id). With --json the value is
also given as the option's typed message ("message"), when the daemon
serves a typed method for it.

example:
  kextbridge get log_level`,
  run,
};
