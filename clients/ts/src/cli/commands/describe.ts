// describe: the connected kext's identity, limits and catalog.
import { EXIT } from '../exit-codes';
import { printJson, type Context } from '../context';
import { ANY_USER, type Command } from '../command';

async function run(ctx: Context): Promise<number> {
  const d = await ctx.client.describe();
  if (ctx.json) {
    printJson(ctx, d);
    return EXIT.OK;
  }
  const flag = (p: boolean): string => (p ? '  privileged' : '');
  ctx.out(`${d.kextIdentity} ${d.kextVersion}, protocol ${d.protocolVersion}; daemon ${d.daemonVersion}`);
  ctx.out(`limits: ${d.maxMessage}-byte messages, ${d.maxInflight} calls in flight`);
  ctx.out('commands:');
  for (const c of d.commands) ctx.out(`  ${String(c.id).padStart(3)}  ${c.name}${flag(c.privileged)}`);
  ctx.out('topics:');
  for (const t of d.topics) ctx.out(`  ${String(t.id).padStart(3)}  ${t.name}${flag(t.privileged)}`);
  ctx.out('options:');
  for (const o of d.options) {
    const type = o.type.replace('VALUE_TYPE_', '').toLowerCase();
    ctx.out(`  ${String(o.id).padStart(3)}  ${o.name}  ${type} ${o.min}..${o.max}${o.readonly ? '  read-only' : ''}${flag(o.privileged)}`);
  }
  ctx.out('upcalls:');
  for (const u of d.upcalls) ctx.out(`  ${String(u.id).padStart(3)}  ${u.name}  ${u.timeoutMs} ms, default ${u.defaultVerdict}${flag(u.privileged)}`);
  return EXIT.OK;
}

export const describe: Command = {
  name: 'describe',
  synopsis: '',
  summary: "the kext's identity and catalog",
  who: ANY_USER,
  flags: {},
  help: `usage: kextbridge describe [--json]

The connected kext's identity, protocol version, limits and catalog:
commands, topics, options (type, range) and upcalls, with which are
privileged.

example:
  kextbridge describe`,
  run,
};
