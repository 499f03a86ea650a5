// Events from the kext to subscribers. The kernel reader never waits on
// a subscriber: each run of EVENT frames becomes one chunk for the ring
// (since_seq resume) and for every subscriber that wants all of it, one
// more per distinct filter that wants part of it; each subscription
// (subscription.ts) queues slices of them and writes as its stream takes
// them. Here: fan-out, seq continuity, since_seq replay, the budgets of
// bytes held, and the stream budget's shares. Nothing here makes an
// object per event. Loss is always told in-band, with its source.
import type { ProgramSummary } from '../auth/identity';
import { randomBytes } from 'node:crypto';
import { LinkState, LossSource, type OverflowPolicyName } from '@kextbridge/protocol';

import { Status } from '../wire/constants';
import { EventFilter, type OutItem, type QueuedItem } from './chunk';
import { EventRun } from './event-run';
import type { Lost } from './items';
import { OVERFLOW_POLICIES } from './overflow';
import { QueueMeter } from './queue';
import { EventRing } from './ring';
import { Subscription, type EventSink, type SubscriberInfo, type SubscriptionHost } from './subscription';
import { TopicTally } from './topic-tally';

export type { EventSink, SinkFlow, SubscriberInfo } from './subscription';

export interface SubscribeOptions {
  uid: number;
  pid: number;
  program?: ProgramSummary;
  topics: ReadonlySet<number>;
  // Only events whose payload starts with these bytes.
  prefix?: Uint8Array;
  overflow: OverflowPolicyName;
  // Bounds of this subscriber's queue: events, and the bytes they keep alive.
  limit: number;
  byteLimit: number;
  maxBatch: number;
  sinceSeq: number;
  // The epoch since_seq belongs to ('' or '0': unknown).
  sinceEpoch?: string;
  sink: EventSink;
}

interface FilterGroup {
  filter: EventFilter;
  subs: Subscription[];
}

// One uid's subscriptions and the bytes they hold.
interface UidGroup {
  meter: QueueMeter;
  subs: Set<Subscription>;
}

export interface EventHubOptions {
  ringEvents: number;
  ringBytes: number;
  // The set of topics anyone wants changed: tell the kext (SUBSCRIBE).
  onWantedChanged: (topics: number[]) => void;
  // This daemon run's id (decimal u64); random when not given.
  epoch?: string;
  // Bytes all subscriptions together, and one uid's (root exempt), may
  // hold (queued and in flight); past either, the largest queues concerned
  // give way by their overflow policies. Unbounded when not given.
  queueBytesTotal?: number;
  queueBytesPerUid?: number;
  // Bytes all streams together may have in flight; each gets an equal
  // share, within [STREAM_SHARE_MIN, STREAM_SHARE_MAX].
  streamBytesTotal?: number;
}

export const STREAM_BYTES_TOTAL = 8 * 1024 * 1024;
// Past a budget, the holders give way down to this much under it.
export const BUDGET_SLACK = 0.25;
// One fast stream gets a deep pipe (it rides out a client's GC pause), a
// hundred stalled ones a shallow one each.
export const STREAM_SHARE_MIN = 64 * 1024;
export const STREAM_SHARE_MAX = 1024 * 1024;

function takesNow(subs: readonly Subscription[]): boolean {
  for (const s of subs) if (s.takesNow) return true;
  return false;
}

export function newEpoch(): string {
  const b = randomBytes(8);
  // Never 0: 0 means "no epoch" in requests.
  const v = b.readBigUInt64LE(0);
  return (v === 0n ? 1n : v).toString();
}

export class EventHub implements SubscriptionHost {
  readonly counters = { fromKernel: 0, delivered: 0, lostKernel: 0, lostDaemon: 0, lostSubscriber: 0, lostLink: 0, lastSeq: 0, malformed: 0, chunks: 0, abandoned: 0, budgetCuts: 0 };
  // By topic id: events from the kernel, and the kernel's losses (a gap
  // no LOSS frame explained counts under topic 0).
  readonly fromKernelByTopic = new TopicTally();
  readonly lostKernelByTopic = new TopicTally();
  readonly epoch: string;
  readonly #onWantedChanged: (topics: number[]) => void;
  readonly #subs = new Map<number, Subscription>();
  readonly #groups = new Map<string, FilterGroup>();
  readonly #byUid = new Map<number, UidGroup>();
  // #publish's list of the groups that keep a whole run (reused).
  readonly #wholeGroups: FilterGroup[] = [];
  #nextSub = 1;
  readonly #ring: EventRing;
  readonly #run = new EventRun();
  // Kernel seqs restart at 1 per connection; ours never go backwards.
  #seqOffset = 0;
  #expectKernel = 1;
  #wanted = '';
  // Between hold() and release(): subscriptions whose queue grew, flushed
  // together at release, and whether a budget was passed.
  #holding = false;
  readonly #dirty = new Set<Subscription>();
  readonly #overUids = new Set<number>();
  #overTotal = false;
  readonly #queued = new QueueMeter();
  readonly #totalMax: number;
  readonly #perUidMax: number;
  readonly #streamBytes: number;
  #streamShare = 0;

  constructor(options: EventHubOptions) {
    this.#onWantedChanged = options.onWantedChanged;
    this.epoch = options.epoch ?? newEpoch();
    this.#ring = new EventRing(options.ringEvents, options.ringBytes);
    this.#totalMax = options.queueBytesTotal ?? Infinity;
    this.#perUidMax = options.queueBytesPerUid ?? Infinity;
    this.#streamBytes = options.streamBytesTotal ?? STREAM_BYTES_TOTAL;
    this.#shareStreams();
  }

  // Bytes all subscriptions hold now (queued and in flight).
  get queuedBytes(): number {
    return this.#queued.bytes;
  }

  // Bytes the ring keeps alive.
  get ringBytes(): number {
    return this.#ring.bytes;
  }

  get size(): number {
    return this.#subs.size;
  }

  // SubscriptionHost: one stream's share of the stream budget.
  streamShare(): number {
    return this.#streamShare;
  }

  #shareStreams(): void {
    this.#streamShare = Math.max(STREAM_SHARE_MIN, Math.min(STREAM_SHARE_MAX, Math.floor(this.#streamBytes / Math.max(1, this.#subs.size))));
  }

  wantedTopics(): number[] {
    const all = new Set<number>();
    for (const g of this.#groups.values()) for (const t of g.filter.topics) all.add(t);
    return [...all].sort((a, b) => a - b);
  }

  // A new kext connection: its seq 1 follows our last seq.
  linkReady(): void {
    this.#seqOffset = this.counters.lastSeq;
    this.#expectKernel = 1;
    this.#wanted = '';
    this.#announce();
    this.#broadcast({ link: { state: LinkState.READY, detail: 'kext link ready' } });
  }

  linkDown(detail: string): void {
    this.#broadcast({ link: { state: LinkState.CONNECTING, detail } });
  }

  add(opts: SubscribeOptions): Subscription {
    const prefix = opts.prefix && opts.prefix.length > 0 ? opts.prefix : null;
    const filter = new EventFilter(opts.topics, prefix);
    let u = this.#byUid.get(opts.uid);
    if (!u) this.#byUid.set(opts.uid, (u = { meter: new QueueMeter(), subs: new Set() }));
    const s = new Subscription(
      {
        id: this.#nextSub++,
        uid: opts.uid,
        pid: opts.pid,
        ...(opts.program ? { program: opts.program } : {}),
        filter,
        policy: OVERFLOW_POLICIES[opts.overflow],
        limit: opts.limit,
        byteLimit: opts.byteLimit,
        maxBatch: opts.maxBatch,
        sink: opts.sink,
        meters: [u.meter, this.#queued],
      },
      this,
    );
    this.#subs.set(s.id, s);
    this.#shareStreams();
    u.subs.add(s);
    let g = this.#groups.get(filter.key);
    if (!g) this.#groups.set(filter.key, (g = { filter, subs: [] }));
    g.subs.push(s);
    s.start(this.epoch);
    if (opts.sinceSeq > 0) this.#replay(s, opts.sinceSeq, opts.sinceEpoch ?? '');
    this.#announce();
    s.flush();
    return s;
  }

  remove(id: number): void {
    const s = this.#subs.get(id);
    if (!s) return;
    s.close();
    this.#subs.delete(id);
    this.#shareStreams();
    this.#dirty.delete(s);
    const u = this.#byUid.get(s.uid);
    if (u) {
      u.subs.delete(s);
      if (u.subs.size === 0) this.#byUid.delete(s.uid);
    }
    const g = this.#groups.get(s.filter.key);
    if (g) {
      g.subs = g.subs.filter((x) => x !== s);
      if (g.subs.length === 0) this.#groups.delete(s.filter.key);
    }
    this.#announce();
  }

  // Ends every stream now (shutdown): streams would otherwise outlive the drain.
  closeAll(details: string): void {
    for (const s of [...this.#subs.values()]) {
      this.remove(s.id);
      s.fail(Status.UNAVAILABLE, details);
    }
  }

  list(): SubscriberInfo[] {
    return [...this.#subs.values()].map((s) => s.info(this.counters.lastSeq));
  }

  // Until release(), what arrives is queued without being written, so
  // that one reader wake (many datagrams under load) leaves as few gRPC
  // messages as possible, and the budgets are enforced once. A queue
  // still flushes as soon as it holds a full batch or reaches a bound, so
  // holding never makes a subscriber lose what it would have been sent.
  hold(): void {
    this.#holding = true;
  }

  release(): void {
    this.#holding = false;
    for (const s of this.#dirty) s.flush();
    this.#dirty.clear();
    this.#enforceBudgets();
  }

  // A run of whole EVENT frames: datagram and the offsets of their
  // headers (checked by the link: in bounds, type EVENT, no MORE).
  events(datagram: Uint8Array, starts: Uint32Array, n: number): void {
    const run = this.#run;
    run.read(datagram, starts, n, this.#seqOffset);
    this.counters.malformed += run.malformed;
    let from = 0;
    for (let i = 0; i < run.count; i++) {
      const kernelSeq = run.seq(i) - this.#seqOffset;
      if (kernelSeq < this.#expectKernel) {
        // A seq not past the last one: a kext that repeats or goes back.
        // Forwarded, two events would share a seq (and a consumer keyed
        // by seq, as the exporter's message ids are, would drop one);
        // dropped and counted as malformed instead.
        if (i > from) this.#publish(from, i);
        from = i + 1;
        this.counters.malformed++;
        continue;
      }
      if (kernelSeq > this.#expectKernel) {
        // A gap no LOSS explained: still kernel loss, counted, never silent.
        if (i > from) this.#publish(from, i);
        from = i;
        this.#kernelLoss(kernelSeq - this.#expectKernel, this.#expectKernel, kernelSeq - 1, 0);
      }
      this.#expectKernel = kernelSeq + 1;
    }
    if (run.count > from) this.#publish(from, run.count);
    if (!this.#holding) this.#enforceBudgets();
  }

  // A LOSS frame: count events of topic lost between first and last.
  // A LOSS that opens a session (seq 1, before any event) counts what the
  // kext published while no daemon was connected: the link's loss.
  loss(topic: number, count: number, firstKernelSeq: number, lastKernelSeq: number): void {
    const whileDown = firstKernelSeq === 1 && this.#expectKernel === 1;
    this.#kernelLoss(count, firstKernelSeq, lastKernelSeq, topic, whileDown ? LossSource.LINK : LossSource.KERNEL);
    if (lastKernelSeq + 1 > this.#expectKernel) this.#expectKernel = lastKernelSeq + 1;
    if (!this.#holding) this.#enforceBudgets();
  }

  // Events [from, to) of the current run, contiguous in seq.
  #publish(from: number, to: number): void {
    const run = this.#run;
    this.counters.fromKernel += to - from;
    if (run.soleTopic >= 0) this.fromKernelByTopic.add(run.soleTopic, to - from);
    else for (let i = from; i < to; i++) this.fromKernelByTopic.add(run.topic(i), 1);
    this.counters.lastSeq = run.seq(to - 1);
    // Filters that keep part of the run get a chunk of their own; the
    // whole run is one chunk, for the ring and every filter that keeps
    // all of it. It is encoded now when one of their subscribers will
    // write it at this wake's end; else when one first takes it, so that
    // what is dropped before (a flood past what the streams take, or
    // what only the ring holds) costs only its copy.
    const whole = this.#wholeGroups;
    whole.length = 0;
    let now = false;
    for (const g of this.#groups.values()) {
      const f = g.filter;
      let matched = 0;
      if (!f.prefix && run.soleTopic >= 0) matched = f.topics.has(run.soleTopic) ? to - from : 0;
      else for (let i = from; i < to; i++) if (run.matches(f, i)) matched++;
      if (matched === 0) continue;
      if (matched === to - from) {
        whole.push(g);
        now ||= takesNow(g.subs);
        continue;
      }
      this.counters.chunks++;
      const part = run.captureFiltered(from, to, f)!;
      for (const s of g.subs) this.#enqueue(s, part);
    }
    if (whole.length === 0 && !this.#ring.enabled) return;
    this.counters.chunks++;
    const all = run.capture(from, to, now);
    if (this.#ring.enabled) this.#ring.push(all);
    for (const g of whole) for (const s of g.subs) this.#enqueue(s, all);
  }

  #kernelLoss(count: number, first: number, last: number, topic: number, source: LossSource = LossSource.KERNEL): void {
    if (source === LossSource.LINK) this.counters.lostLink += count;
    else this.counters.lostKernel += count;
    if (source === LossSource.KERNEL) this.lostKernelByTopic.add(topic, count);
    this.counters.lastSeq = Math.max(this.counters.lastSeq, this.#seqOffset + last);
    const lost: Lost = { count, firstSeq: this.#seqOffset + first, lastSeq: this.#seqOffset + last, source, topic };
    for (const s of this.#subs.values()) if (topic === 0 || s.filter.topics.has(topic)) this.#enqueue(s, { lost });
  }

  #replay(s: Subscription, requested: number, sinceEpoch: string): void {
    const newest = this.counters.lastSeq;
    let since = requested;
    const daemonLost = (lost: Omit<Lost, 'source' | 'topic'>): void => {
      this.counters.lostDaemon += lost.count;
      this.#enqueue(s, { lost: { ...lost, source: LossSource.DAEMON, topic: 0 } });
    };
    const otherEpoch = sinceEpoch !== '' && sinceEpoch !== '0' && sinceEpoch !== this.epoch;
    if (otherEpoch) {
      daemonLost({
        count: 0,
        firstSeq: requested,
        lastSeq: requested,
        detail: `since_seq ${requested} is from daemon epoch ${sinceEpoch}; this daemon (epoch ${this.epoch}) started since, so what happened in between cannot be known; replaying this epoch from seq 1`,
      });
      since = 1;
    } else if (requested > newest + 1) {
      const restarted = sinceEpoch === '' || sinceEpoch === '0';
      daemonLost({
        count: 0,
        firstSeq: requested,
        lastSeq: requested,
        detail: restarted
          ? `since_seq ${requested} is ahead of the newest seq ${newest}: the daemon has restarted since (send since_epoch to be told exactly); replaying from seq 1`
          : `since_seq ${requested} is ahead of the newest seq ${newest} of this epoch; delivering live events`,
      });
      since = restarted ? 1 : newest + 1;
    }
    const oldest = this.#ring.size > 0 ? this.#ring.oldestSeq() : newest + 1;
    if (since < oldest && since <= newest) {
      daemonLost({ count: oldest - since, firstSeq: since, lastSeq: oldest - 1 });
    }
    for (const slice of this.#ring.from(since)) {
      const c = slice.chunk;
      let all = true;
      for (let i = slice.from; i < slice.to && all; i++) all = c.matches(s.filter, i);
      if (all) this.#enqueue(s, slice);
      else {
        const cut = c.copy(slice.from, slice.to, s.filter);
        if (cut) this.#enqueue(s, cut);
      }
    }
    this.#enforceBudgets();
  }

  #broadcast(item: OutItem): void {
    for (const s of this.#subs.values()) this.#enqueue(s, item);
    this.#enforceBudgets();
  }

  #enqueue(s: Subscription, item: QueuedItem): void {
    if (s.enqueue(item, this.#holding)) this.#dirty.add(s);
    if (s.uid !== 0 && s.uidMeter.bytes > this.#perUidMax) this.#overUids.add(s.uid);
    if (this.#queued.bytes > this.#totalMax) this.#overTotal = true;
  }

  // Past a budget of bytes held, the largest holders it covers (of the one
  // uid, or of all) give way, each by its own overflow policy, down to a
  // common level low enough for the budget to hold: the subscribers
  // reading least pay, never all. Once per reader wake, not per event.
  #enforceBudgets(): void {
    for (const uid of this.#overUids) {
      const u = this.#byUid.get(uid);
      if (u) this.#giveWay(u.meter, this.#perUidMax, u.subs, `uid ${uid}'s queued events reached their share of ${this.#perUidMax} bytes (limits.queueBytesPerUid)`);
    }
    this.#overUids.clear();
    if (this.#overTotal) {
      this.#overTotal = false;
      this.#giveWay(this.#queued, this.#totalMax, this.#subs.values(), `the daemon's queued events reached their budget of ${this.#totalMax} bytes (limits.queueBytesTotal)`);
    }
  }

  #giveWay(meter: QueueMeter, max: number, among: Iterable<Subscription>, why: string): void {
    if (meter.bytes <= max) return;
    // Down to a little under the budget, so that holders who read nothing
    // are not cut again on every run that follows (the check is per
    // reader wake; a cut of 200 queues on every one cost the link reader).
    const excess = meter.bytes - max * (1 - BUDGET_SLACK);
    const subs = [...among].filter((s) => s.queue.bytes > 0).sort((a, b) => b.queue.bytes - a.queue.bytes);
    // The level L that the k largest queues are cut to: their bytes above
    // L add up to the excess, and L is no lower than the next queue's.
    let sum = 0;
    let k = 0;
    let level = 0;
    while (k < subs.length) {
      sum += subs[k]!.queue.bytes;
      k++;
      const l = (sum - excess) / k;
      if (l >= (subs[k]?.queue.bytes ?? 0)) {
        level = Math.max(0, Math.floor(l));
        break;
      }
    }
    for (let i = 0; i < k; i++) {
      const s = subs[i]!;
      if (s.closed || s.queue.bytes <= level) continue;
      this.counters.budgetCuts++;
      s.giveWay(level, why);
    }
  }

  #announce(): void {
    const topics = this.wantedTopics();
    const key = topics.join(',');
    if (key === this.#wanted) return;
    this.#wanted = key;
    this.#onWantedChanged(topics);
  }
}
