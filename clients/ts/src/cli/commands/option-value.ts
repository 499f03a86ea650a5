// How get and set show an option's value: as the option's type, and with
// --json also as the typed message its method replies with (the value in
// its first field, as the daemon's typed proxy puts it).
import type { MethodBinding } from '@kextbridge/protocol';
import { printJson, type Context } from '../context';
import { messageJson } from '../typed';
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

function rawValue(v: OptionValue__Output): unknown {
  return v.value === 'bytesValue' ? Buffer.from(v.bytesValue ?? []) : v[v.value ?? 'stringValue'];
}

export function showOption(ctx: Context, v: OptionValue__Output, binding?: MethodBinding): void {
  const field = binding?.response.fieldsArray[0];
  const message = binding && field ? messageJson(binding.response, { [field.name]: rawValue(v) }) : undefined;
  if (ctx.json) printJson(ctx, { id: v.id, name: v.name, value: valueOf(v), ...(message ? { message } : {}) });
  else ctx.out(`${v.name} = ${String(valueOf(v))}`);
}
