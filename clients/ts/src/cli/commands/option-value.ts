// How get and set show an option's value.
import { printJson, type Context } from '../context';
import type { OptionValue__Output } from '../../generated/kextbridge/v1/OptionValue';

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

export function showOption(ctx: Context, v: OptionValue__Output): void {
  if (ctx.json) printJson(ctx, { id: v.id, name: v.name, value: valueOf(v) });
  else ctx.out(`${v.name} = ${String(valueOf(v))}`);
}
