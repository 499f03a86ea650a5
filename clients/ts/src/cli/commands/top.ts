// top: a live view of one daemon, redrawn from WatchStatus: the link,
// calls and events per second, events per topic, loss by source, queues,
// clients and upcall handlers, and (for root and the admin group) each
// subscriber with its queue. q or Ctrl-C quits. When stdout is not a
// terminal it prints one plain block per refresh instead.
import { EXIT, UsageError } from '../exit-codes';
import { ANY_USER, type Command } from '../command';
import { whole, type Context } from '../context';
import { KextBridgeError } from '../../errors';
import type { Status__Output } from '../../generated/kextbridge/v1/Status';
import type { Subscriber__Output } from '../../generated/kextbridge/v1/Subscriber';

const PERMISSION_DENIED = 7;

type Counters = NonNullable<Status__Output['counters']>;

interface Frame {
  status: Status__Output;
  // Seconds since the snapshot before it, by the daemon's uptime (0: the first).
  seconds: number;
  before: Status__Output | undefined;
  subscribers: Subscriber__Output[] | string;
  // The catalog's topic names by id (empty when Describe failed: ids shown).
  topicNames: ReadonlyMap<number, string>;
}

const n = (v: string | number | undefined): number => Number(v ?? 0);

function rate(f: Frame, read: (c: Counters) => string | number | undefined): string {
  if (!f.before || f.seconds <= 0) return '-';
  const r = (n(read(f.status.counters!)) - n(read(f.before.counters!))) / f.seconds;
  return r.toFixed(1);
}

function bytes(v: number): string {
  if (v < 1024) return `${v} B`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} KiB`;
  return `${(v / 1024 / 1024).toFixed(1)} MiB`;
}

// The view as lines, the same for a terminal and for plain output.
export function render(f: Frame, socket: string, now: Date): string[] {
  const s = f.status;
  const c = s.counters!;
  const lines: string[] = [];
  const link = s.linkState.replace('LINK_STATE_', '').toLowerCase();
  lines.push(`kextbridge top  ${socket}  ${now.toISOString().slice(11, 19)}  link ${link}${s.linkDetail ? ` (${s.linkDetail})` : ''}, generation ${s.linkGeneration}, resets ${c.linkResets}  up ${Math.round(n(s.uptimeMs) / 1000)} s`);
  const byStatus = Object.entries(c.callsByStatus).map(([k, v]) => `${k} ${v}`).join(', ') || 'none finished';
  lines.push(`calls     ${rate(f, (x) => x.callsStarted).padStart(9)}/s  ${c.callsStarted} started, ${c.callsInflight} in flight, ${c.callsQueued} queued; ${byStatus}`);
  lines.push(`events    ${rate(f, (x) => x.eventsFromKernel).padStart(9)}/s from the kext, ${rate(f, (x) => x.eventsDelivered)}/s delivered; ${c.eventsFromKernel} and ${c.eventsDelivered} in all, last seq ${c.lastSeq}`);
  lines.push(`lost      kernel ${c.lostKernel} (${rate(f, (x) => x.lostKernel)}/s), link ${c.lostLink}, daemon ${c.lostDaemon} (${rate(f, (x) => x.lostDaemon)}/s), subscriber ${c.lostSubscriber} (${rate(f, (x) => x.lostSubscriber)}/s)`);
  lines.push(`queues    ${bytes(n(c.queuedBytes))} held by subscribers, ${bytes(n(c.ringBytes))} by the ring; ${c.queueBudgetCuts} budget cuts`);
  lines.push(`clients   ${s.clients} connected, ${c.connectionsRefused} refused; ${s.subscribers} subscribers; ${s.upcallHandlers} upcall handlers${s.upcallHandlersUnhealthy > 0 ? ` (${s.upcallHandlersUnhealthy} set aside)` : ''}`);
  lines.push(`upcalls   ${rate(f, (x) => x.upcalls).padStart(9)}/s  ${c.upcalls} asked, ${c.upcallsAnswered} answered, ${c.upcallsDenied} denied, ${c.upcallsNoHandler} no handler, ${c.upcallAnswersMissed} answers missed`);
  lines.push(`memory    ${bytes(n(c.rssBytes))} resident, ${bytes(n(c.heapUsedBytes))} heap`);
  lines.push('');
  lines.push('topic                  events/s        total');
  const topics = Object.entries(c.eventsFromKernelByTopic).sort(([a], [b]) => a.localeCompare(b));
  if (topics.length === 0) lines.push('(no events yet)');
  for (const [topic, total] of topics) {
    const r = f.before && f.seconds > 0 ? ((n(total) - n(f.before.counters!.eventsFromKernelByTopic[topic])) / f.seconds).toFixed(1) : '-';
    lines.push(`${topic.padEnd(20)} ${r.padStart(10)} ${String(total).padStart(12)}`);
  }
  lines.push('');
  if (typeof f.subscribers === 'string') lines.push(f.subscribers);
  else {
    lines.push('subscriber    uid    pid  topics          policy         queued   queued bytes      lag  delivered     lost');
    if (f.subscribers.length === 0) lines.push('(none)');
    for (const x of f.subscribers) {
      const policy = x.overflow.replace('OVERFLOW_POLICY_', '').toLowerCase().replace('_', '-');
      lines.push(
        `${String(x.id).padStart(10)} ${String(x.uid).padStart(6)} ${String(x.pid).padStart(6)}  ${x.topics.map((t) => f.topicNames.get(t) ?? String(t)).join(',').padEnd(14)}  ${policy.padEnd(12)} ${String(x.queued).padStart(8)} ${bytes(n(x.queuedBytes)).padStart(14)} ${String(x.lag).padStart(8)} ${String(x.delivered).padStart(10)} ${String(x.lost).padStart(8)}`,
      );
    }
  }
  return lines;
}

async function run(ctx: Context): Promise<number> {
  if (ctx.args.length > 0) throw new UsageError(`top takes no arguments, got "${ctx.args[0]}"`);
  const intervalMs = whole('interval', ctx.flags['interval']) ?? 1000;
  if (intervalMs < 100) throw new UsageError('--interval is at least 100 (milliseconds)');
  const count = whole('count', ctx.flags['count']);
  const stdout = process.stdout;
  const tty = stdout.isTTY === true && !ctx.json;
  const quit = new AbortController();
  const stop = (): void => quit.abort();
  ctx.signal.addEventListener('abort', stop, { once: true });
  const stdin = process.stdin;
  const keys = (d: Buffer): void => {
    // q, Q, Ctrl-C (raw mode delivers it as a byte, not SIGINT), Ctrl-D.
    if (d.includes(0x71) || d.includes(0x51) || d.includes(0x03) || d.includes(0x04)) stop();
  };
  if (tty) {
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.on('data', keys);
    stdin.resume();
    // The alternate screen, cursor hidden: the shell's screen comes back on quit.
    stdout.write('\x1b[?1049h\x1b[?25l');
  }
  let subscribersAllowed = true;
  // Read again when the link comes up with a new generation (maybe another kext).
  let topicNames: ReadonlyMap<number, string> = new Map();
  let namesOf = '';
  const namesFor = async (generation: string): Promise<ReadonlyMap<number, string>> => {
    if (generation === namesOf) return topicNames;
    namesOf = generation;
    topicNames = await ctx.client.describe().then(
      (d) => new Map(d.topics.map((t) => [t.id, t.name])),
      () => new Map(),
    );
    return topicNames;
  };
  let before: Status__Output | undefined;
  let frames = 0;
  const subscribersOf = async (): Promise<Subscriber__Output[] | string> => {
    if (!subscribersAllowed) return 'subscribers: listed for root and the admin group only';
    try {
      return await ctx.client.listSubscribers();
    } catch (err) {
      const k = KextBridgeError.from(err);
      if (k.code !== PERMISSION_DENIED) return `subscribers: ${k.codeName}: ${k.details}`;
      subscribersAllowed = false;
      return 'subscribers: listed for root and the admin group only';
    }
  };
  const draw = (frame: Frame): void => {
    stdout.write(`\x1b[H\x1b[2J${render(frame, ctx.client.socket, new Date()).join('\n')}\n\nq quits\n`);
  };
  // The daemon reports only changes: with nothing moving, the terminal is
  // redrawn with the rates at zero rather than the last ones left standing.
  let last: { frame: Frame; at: number } | undefined;
  const idle = tty
    ? setInterval(() => {
        if (!last || Date.now() - last.at < 2 * intervalMs) return;
        const s = last.frame.status;
        draw({ ...last.frame, before: s, seconds: (Date.now() - last.at) / 1000 });
      }, intervalMs)
    : undefined;
  try {
    for await (const status of ctx.client.watchStatus(intervalMs, quit.signal)) {
      const seconds = before ? (n(status.uptimeMs) - n(before.uptimeMs)) / 1000 : 0;
      const frame: Frame = { status, seconds, before, subscribers: await subscribersOf(), topicNames: await namesFor(String(status.linkGeneration)) };
      before = status;
      last = { frame, at: Date.now() };
      if (ctx.json) ctx.out(JSON.stringify({ status, subscribers: frame.subscribers }));
      else if (tty) draw(frame);
      else ctx.out(`${render(frame, ctx.client.socket, new Date()).join('\n')}\n`);
      if (count !== undefined && ++frames >= count) break;
      if (quit.signal.aborted) break;
    }
  } finally {
    clearInterval(idle);
    ctx.signal.removeEventListener('abort', stop);
    if (tty) {
      stdout.write('\x1b[?25h\x1b[?1049l');
      stdin.off('data', keys);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
    }
  }
  return EXIT.OK;
}

export const top: Command = {
  name: 'top',
  synopsis: '',
  summary: 'a live view: link, rates per topic, loss, subscribers, handlers',
  who: `${ANY_USER}; the subscriber rows for root and the admin group only`,
  flags: { interval: { type: 'string' }, count: { type: 'string' } },
  help: `usage: kextbridge top [--interval MS] [--count N] [--json]

A live view of the daemon, redrawn as WatchStatus reports changes (at
most every --interval, default 1000 ms): the kext link, calls and events
per second, events per second by topic, loss by source, bytes queued,
clients, upcall handlers and, for root and the admin group, every
subscriber with its queue, lag and loss. Rates are over the daemon's own
uptime between two reports. q or Ctrl-C quits.

When stdout is not a terminal it prints one plain block per report
(--count N: stop after N); --json prints each report as one JSON line.

examples:
  kextbridge top
  kextbridge top --interval 5000
  kextbridge top --count 3 > snapshot.txt`,
  run,
};
