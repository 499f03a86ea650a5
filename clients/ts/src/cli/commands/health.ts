// health: grpc.health.v1 status of the daemon or one of its services.
import { EXIT } from '../exit-codes';
import { printJson, type Context } from '../context';
import { ANY_USER, type Command } from '../command';

async function run(ctx: Context): Promise<number> {
  const service = ctx.args[0] ?? '';
  const s = await ctx.client.health(service);
  if (ctx.json) printJson(ctx, { service, status: s });
  else ctx.out(s);
  return s === 'SERVING' ? EXIT.OK : EXIT.UNAVAILABLE;
}

export const health: Command = {
  name: 'health',
  synopsis: '[SERVICE]',
  summary: 'SERVING or NOT_SERVING (exit 0 or 3)',
  who: ANY_USER,
  flags: {},
  help: `usage: kextbridge health [SERVICE]

grpc.health.v1 status of the daemon ('' by default) or of a service, e.g.
kextbridge.example.v1.Example. Exits 0 when SERVING, 3 otherwise.

example:
  until kextbridge health >/dev/null; do sleep 1; done`,
  run,
};
