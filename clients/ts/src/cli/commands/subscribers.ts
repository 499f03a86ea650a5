// subscribers: every live subscriber, with its queue, lag and losses.
import { EXIT } from '../exit-codes';
import { printJson, type Context } from '../context';
import type { Command } from '../command';

// What the daemon read of the subscriber's program when it connected.
function programOf(p: { path: string; signature: string } | null): string {
  if (!p) return '-';
  return [p.path, p.signature].filter((x) => x !== '').join(' ') || '-';
}

async function run(ctx: Context): Promise<number> {
  const list = await ctx.client.listSubscribers();
  if (ctx.json) {
    printJson(ctx, list);
    return EXIT.OK;
  }
  if (list.length === 0) {
    ctx.out('no subscribers');
    return EXIT.OK;
  }
  ctx.out('   id    uid    pid  topics      policy        queued      lag  delivered     lost  program');
  for (const s of list) {
    const policy = s.overflow.replace('OVERFLOW_POLICY_', '').toLowerCase().replace('_', '-');
    ctx.out(
      `${String(s.id).padStart(5)} ${String(s.uid).padStart(6)} ${String(s.pid).padStart(6)}  ${s.topics.join(',').padEnd(10)}  ${policy.padEnd(12)} ${String(s.queued).padStart(7)} ${String(s.lag).padStart(8)} ${String(s.delivered).padStart(10)} ${String(s.lost).padStart(8)}  ${programOf(s.program)}`,
    );
  }
  return EXIT.OK;
}

export const subscribers: Command = {
  name: 'subscribers',
  synopsis: '',
  summary: 'who is subscribed, with lag and losses',
  who: "root and the admin group (it shows other users' processes)",
  flags: {},
  help: `usage: kextbridge subscribers [--json]

Every live subscriber: uid, pid, topics, overflow policy, queued events,
lag behind the newest seq, delivered, lost, and its program (the
executable, or on macOS its signature, read when it connected). Root and the admin group
only (it shows other users' processes).

example:
  kextbridge subscribers`,
  run,
};
