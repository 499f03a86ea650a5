// watch: events of one or more topics as they come, one line each, with
// loss and link changes shown where they happened. Ctrl-C ends it.
import { EXIT, UsageError } from '../exit-codes';
import { ANY_USER, type Command } from '../command';
import { printJson, showBytes, whole, type Context } from '../context';
import { decodeToJson } from '../typed';
import { OVERFLOW_POLICY_SHORT } from '@kextbridge/protocol';

const SOURCES: Record<string, string> = {
  LOSS_SOURCE_KERNEL: 'the kext could not queue them',
  LOSS_SOURCE_DAEMON: 'older than the daemon keeps',
  LOSS_SOURCE_SUBSCRIBER: 'this watch fell behind',
  LOSS_SOURCE_LINK: 'the kext link was down',
};

async function run(ctx: Context): Promise<number> {
  if (ctx.args.length === 0) throw new UsageError('name at least one topic: kextbridge watch <topic...>');
  const policyName = (ctx.flags['policy'] as string | undefined) ?? 'drop-oldest';
  const overflow = OVERFLOW_POLICY_SHORT[policyName];
  if (!overflow) throw new UsageError(`--policy must be one of ${Object.keys(OVERFLOW_POLICY_SHORT).join(', ')}, not "${policyName}"`);
  const since = whole('since', ctx.flags['since']) ?? 0;
  const count = whole('count', ctx.flags['count']);
  const queueLimit = whole('queue', ctx.flags['queue']) ?? 0;
  let types = await ctx.typed();
  // A restarted daemon (a new epoch) may serve other types: read them again
  // (the library keys its cache by epoch), unless --proto fixed them.
  let epoch: string | undefined;
  const onEpoch = (next: string): void => {
    if (epoch !== undefined && next !== epoch && types.source.from === 'daemon') {
      ctx.client.kextTypes().then(
        (t) => (types = t),
        () => undefined,
      );
    }
    epoch = next;
  };
  // Names from the kext's own catalog: they need no .proto.
  const catalog = new Map((await ctx.client.describe()).topics.map((t) => [t.id, t.name]));
  const stop = new AbortController();
  ctx.signal.addEventListener('abort', () => stop.abort(), { once: true });
  let events = 0;
  for await (const item of ctx.client.subscribe({ topics: ctx.args, sinceSeq: since, overflow, queueLimit, signal: stop.signal, onEpoch })) {
    if (item.event) {
      const e = item.event;
      const binding = types.find('topic', e.topic);
      let decoded: Record<string, unknown> | undefined;
      try {
        decoded = binding ? decodeToJson(binding.response, e.payload, ctx.json) : undefined;
      } catch {
        decoded = undefined;
      }
      const topic = binding?.name || catalog.get(e.topic) || String(e.topic);
      if (ctx.json) printJson(ctx, { seq: e.seq, timeNs: e.timeNs, topic, event: decoded ?? null, payloadBase64: decoded ? undefined : Buffer.from(e.payload).toString('base64') });
      else ctx.out(`${e.seq} ${topic} ${decoded ? JSON.stringify(decoded) : showBytes(e.payload)}`);
      if (count !== undefined && ++events >= count) stop.abort();
    } else if (item.lost) {
      const l = item.lost;
      if (ctx.json) printJson(ctx, { lost: l });
      else if (l.detail) ctx.out(`LOST events: ${SOURCES[l.source] ?? l.source}: ${l.detail}`);
      else ctx.out(`LOST ${l.count} events, seq ${l.firstSeq}..${l.lastSeq}: ${SOURCES[l.source] ?? l.source}`);
    } else if (item.link) {
      if (ctx.json) printJson(ctx, { link: item.link });
      else ctx.err(`-- ${item.link.state.replace('LINK_STATE_', '').toLowerCase()}: ${item.link.detail}`);
    }
  }
  return EXIT.OK;
}

export const watch: Command = {
  name: 'watch',
  synopsis: '<topic...>',
  summary: 'print events as they come (Ctrl-C stops)',
  who: ANY_USER,
  flags: { since: { type: 'string' }, policy: { type: 'string' }, queue: { type: 'string' }, count: { type: 'string' } },
  help: `usage: kextbridge watch <topic...> [--since SEQ] [--policy drop-oldest|drop-newest|disconnect]
                       [--queue N] [--count N]

Prints each event of the topics as "seq topic event", decoded as JSON when
the topic's type is known. Loss is shown where it happened ("LOST n events,
seq a..b: why"). --since resumes from a seq; --count stops after N events;
Ctrl-C stops cleanly. If the daemon goes away it reconnects and resumes,
and reads the restarted daemon's types again.

example:
  kextbridge watch heartbeat --count 3
  kextbridge watch exec --since 1200 --policy drop-newest --json`,
  run,
};
