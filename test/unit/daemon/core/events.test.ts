// EventHub's bookkeeping with a sink we control: what a stalled
// subscriber is told under each overflow policy, filters, resume, chunk
// sharing and the epoch.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { LOSS_SOURCE_NAMES, OVERFLOW_POLICY_SHORT } from '@kextbridge/protocol';
import { Slice } from 'kextbridged/internal/core/chunk';
import { EventHub } from 'kextbridged/internal/core/events';
import type { OutItem } from 'kextbridged/internal/core/chunk';
import type { LinkInfo, Lost } from 'kextbridged/internal/core/items';
import { eventDatagram, type SynthEvent } from '../../../support/event-frames';
import { FakeSink as BaseSink } from '../../../support/fake-sink';

type Overflow = 'drop_oldest' | 'drop_newest' | 'disconnect';
const policy = (o: Overflow) => OVERFLOW_POLICY_SHORT[o.replace('_', '-')]!;

// The hub's items one per event, as a client would decode them (a loss
// source by its name).
type Item = { event: { seq: number; topic: number; payload: Buffer } } | { lost: Omit<Lost, 'source'> & { source: string } } | { link: LinkInfo };

function flatten(items: readonly OutItem[]): Item[] {
  return items.flatMap((i): Item[] => {
    if (!(i instanceof Slice)) return ['lost' in i ? { lost: { ...i.lost, source: LOSS_SOURCE_NAMES[i.lost.source] } } : i];
    const out: Item[] = [];
    for (let k = i.from; k < i.to; k++) out.push({ event: { seq: i.chunk.seq(k), topic: i.chunk.topic(k), payload: Buffer.from(i.chunk.payload(k)) } });
    return out;
  });
}

class FakeSink extends BaseSink {
  items: Item[] = [];
  override onWrite(items: readonly OutItem[]): void {
    this.items.push(...flatten(items));
  }
  get destroyed(): { code: number; details: string } | null {
    return this.failed;
  }
  events(): number[] {
    return this.items.flatMap((i) => ('event' in i ? [i.event.seq] : []));
  }
  lost(): number {
    return this.items.reduce((n, i) => n + ('lost' in i ? i.lost.count : 0), 0);
  }
}

function hub(wanted: number[][] = []): EventHub {
  return new EventHub({ ringEvents: 100, ringBytes: 1 << 20, onWantedChanged: (t) => wanted.push(t) });
}

function subscribe(h: EventHub, sink: FakeSink, overflow: Overflow, extra: { sinceSeq?: number; sinceEpoch?: string; prefix?: Uint8Array; topics?: number[]; byteLimit?: number } = {}): number {
  return h.add({
    uid: 0,
    pid: 1,
    topics: new Set(extra.topics ?? [1]),
    overflow: policy(overflow),
    limit: 4,
    byteLimit: extra.byteLimit ?? 1 << 20,
    maxBatch: 2,
    sinceSeq: extra.sinceSeq ?? 0,
    ...(extra.sinceEpoch ? { sinceEpoch: extra.sinceEpoch } : {}),
    sink,
    ...(extra.prefix ? { prefix: extra.prefix } : {}),
  }).id;
}

// Events as the kext sends them: one datagram (one run) for all.
function run(h: EventHub, events: SynthEvent[]): void {
  const { datagram, starts } = eventDatagram(events);
  h.events(datagram, starts, starts.length);
}

// One event per datagram, kernel seqs from..to.
function publish(h: EventHub, from: number, to: number, topic = 1): void {
  for (let seq = from; seq <= to; seq++) one(h, seq, topic);
}

function one(h: EventHub, seq: number, topic = 1): void {
  run(h, [{ seq, topic, payload: Uint8Array.of(seq & 0xff) }]);
}

for (const overflow of ['drop_oldest', 'drop_newest'] as const) {
  test(`${overflow}: a stalled subscriber is told exactly what it lost, the fast one gets everything`, () => {
    const h = hub();
    const fast = new FakeSink();
    const slow = new FakeSink();
    subscribe(h, fast, overflow);
    subscribe(h, slow, overflow);
    publish(h, 1, 2);
    slow.open = false;
    publish(h, 3, 20);
    slow.drain();
    assert.deepEqual(fast.events(), Array.from({ length: 20 }, (_, i) => i + 1));
    assert.equal(fast.lost(), 0);
    const got = slow.events();
    assert.equal(got.length + slow.lost(), 20, 'delivered + lost = published');
    assert.equal(slow.lost(), 20 - got.length);
    // 3 was the write the sink refused more after; then 4 events fit the queue.
    const order = slow.items.map((i) => ('event' in i ? i.event.seq : 'lost' in i ? `lost ${i.lost.firstSeq}-${i.lost.lastSeq}` : 'link'));
    if (overflow === 'drop_oldest') assert.deepEqual(order, [1, 2, 3, 'lost 4-16', 17, 18, 19, 20], 'the newest are kept; the loss comes first');
    else assert.deepEqual(order, [1, 2, 3, 4, 5, 6, 7, 'lost 8-20'], 'the oldest are kept; the loss comes after them');
    assert.equal(slow.items.filter((i) => 'lost' in i).length, 1, 'one Lost item for one run of losses');
    assert.equal(h.counters.lostSubscriber, 13);
  });
}

test('disconnect: the overflowing subscriber is ended with RESOURCE_EXHAUSTED and removed', () => {
  const h = hub();
  const slow = new FakeSink();
  subscribe(h, slow, 'disconnect');
  slow.open = false;
  publish(h, 1, 10);
  assert.equal(slow.destroyed?.code, 8);
  assert.match(slow.destroyed!.details, /queue of 4 events overflowed/);
  assert.equal(h.size, 0);
});

test('topic and payload-prefix filters apply before queuing', () => {
  const h = hub();
  const sink = new FakeSink();
  subscribe(h, sink, 'drop_oldest', { topics: [2], prefix: Uint8Array.of(5) });
  publish(h, 1, 10, 2);
  publish(h, 11, 12, 1);
  assert.deepEqual(sink.events(), [5]);
});

test('since_seq replays the ring; older than the ring is Lost{DAEMON} with the exact count', () => {
  const h = new EventHub({ ringEvents: 5, ringBytes: 1 << 20, onWantedChanged: () => {}, epoch: '77' });
  publish(h, 1, 12);
  const sink = new FakeSink();
  subscribe(h, sink, 'drop_oldest', { sinceSeq: 3 });
  const lost = sink.items[0] as { lost: { count: number; firstSeq: number; lastSeq: number; source: string } };
  assert.deepEqual(lost.lost, { count: 5, firstSeq: 3, lastSeq: 7, source: 'LOSS_SOURCE_DAEMON', topic: 0 });
  assert.deepEqual(sink.events(), [8, 9, 10, 11, 12]);
});

test('the kext hears the union of wanted topics only when it changes', () => {
  const wanted: number[][] = [];
  const h = hub(wanted);
  const a = subscribe(h, new FakeSink(), 'drop_oldest', { topics: [1] });
  const b = subscribe(h, new FakeSink(), 'drop_oldest', { topics: [1, 2] });
  subscribe(h, new FakeSink(), 'drop_oldest', { topics: [2] });
  h.remove(b);
  h.remove(a);
  assert.deepEqual(wanted, [[1], [1, 2], [2]]);
});

test('a kernel seq gap nobody explained is Lost{KERNEL}; after reconnect seqs keep growing', () => {
  const h = hub();
  const sink = new FakeSink();
  subscribe(h, sink, 'drop_oldest');
  publish(h, 1, 2);
  one(h, 5);
  h.linkReady();
  one(h, 1);
  const lost = sink.items.find((i) => 'lost' in i) as { lost: { count: number; firstSeq: number; lastSeq: number; source: string } };
  assert.deepEqual([lost.lost.count, lost.lost.firstSeq, lost.lost.lastSeq, lost.lost.source], [2, 3, 4, 'LOSS_SOURCE_KERNEL']);
  assert.deepEqual(sink.events(), [1, 2, 5, 6]);
});

test('hold/release: the events of one datagram leave as one batch, and holding loses nothing a writable sink would get', () => {
  const h = hub();
  const writes: number[] = [];
  const sink = new FakeSink();
  const write = sink.write.bind(sink);
  sink.write = (items, bytes) => {
    writes.push(flatten(items).length);
    return write(items, bytes);
  };
  h.add({ uid: 0, pid: 1, topics: new Set([1]), overflow: policy('drop_oldest'), limit: 3, byteLimit: 1 << 20, maxBatch: 256, sinceSeq: 0, sink });
  h.hold();
  publish(h, 1, 2);
  assert.deepEqual(writes, [], 'nothing written while held');
  h.release();
  assert.deepEqual(writes, [2], 'one write for the held events');
  h.hold();
  publish(h, 3, 12);
  h.release();
  assert.deepEqual(sink.events(), Array.from({ length: 12 }, (_, i) => i + 1), 'a queue at its limit flushes instead of dropping');
  assert.equal(sink.lost(), 0);
});

test('a stalled subscriber under a kernel flood keeps a bounded queue: kernel losses past the limit merge, counts stay exact', () => {
  const h = hub();
  const slow = new FakeSink();
  subscribe(h, slow, 'drop_oldest');
  slow.open = false;
  // Every other kernel seq lost: one LOSS per event, 10,000 times.
  one(h, 1);
  for (let seq = 3; seq <= 20_001; seq += 2) one(h, seq);
  slow.drain();
  const lostItems = slow.items.filter((i) => 'lost' in i);
  const kernel = lostItems.filter((i) => 'lost' in i && i.lost.source === 'LOSS_SOURCE_KERNEL');
  // At most the limit (4) of them queued one by one, one merged, one pending subscriber loss.
  assert.ok(lostItems.length <= 4 + 1 + 1, `${lostItems.length} Lost items reached the subscriber`);
  assert.equal(
    kernel.reduce((n, i) => n + ('lost' in i ? i.lost.count : 0), 0),
    10_000,
    'every kernel loss counted once',
  );
  assert.equal(slow.events().length + slow.lost(), 20_001, 'delivered + lost = the kernel seqs');
});

test('a LOSS opening a session is the link\'s loss (published while no daemon was connected); later ones are the kernel\'s', () => {
  const h = hub();
  const sink = new FakeSink();
  subscribe(h, sink, 'drop_oldest');
  h.linkReady();
  publish(h, 1, 2);
  h.linkDown('reset');
  h.linkReady();
  h.loss(1, 3, 1, 3);
  one(h, 4);
  h.loss(1, 2, 5, 6);
  one(h, 7);
  const told = sink.items.flatMap((i) => ('lost' in i ? [`${i.lost.source} ${i.lost.firstSeq}-${i.lost.lastSeq}`] : 'event' in i ? [String(i.event.seq)] : []));
  assert.deepEqual(told, ['1', '2', 'LOSS_SOURCE_LINK 3-5', '6', 'LOSS_SOURCE_KERNEL 7-8', '9']);
  assert.equal(h.counters.lostLink, 3);
  assert.equal(h.counters.lostKernel, 2);
});

test('subscribers with one filter share one chunk per run; each distinct filter gets its own cut, made once', () => {
  const h = hub();
  const a = new FakeSink();
  const b = new FakeSink();
  const c = new FakeSink();
  const d = new FakeSink();
  subscribe(h, a, 'drop_oldest', { topics: [1, 2] });
  subscribe(h, b, 'drop_oldest', { topics: [2, 1] });
  subscribe(h, c, 'drop_oldest', { topics: [2] });
  subscribe(h, d, 'drop_oldest', { topics: [2] });
  for (const s of [a, b, c, d]) s.writes = [];
  const before = h.counters.chunks;
  run(h, [1, 2, 3, 4].map((seq) => ({ seq, topic: seq % 2 === 0 ? 2 : 1, payload: Uint8Array.of(seq) })));
  const chunkOf = (s: FakeSink): unknown => (s.writes.flat().find((i) => i instanceof Slice) as Slice).chunk;
  assert.equal(chunkOf(a), chunkOf(b), 'the same filter, written in another order, shares the chunk');
  assert.equal(chunkOf(c), chunkOf(d), 'the topic-2 subscribers share their cut');
  assert.notEqual(chunkOf(a), chunkOf(c));
  assert.deepEqual(c.events(), [2, 4]);
  assert.deepEqual(a.events(), [1, 2, 3, 4]);
  // The ring's chunk doubles as the unfiltered subscribers' one.
  assert.equal(h.counters.chunks - before, 2, 'one chunk for everything (ring and topics 1,2), one for topic 2');
});

test('a run larger than a stalled queue keeps exact per-event accounting under each policy', () => {
  for (const overflow of ['drop_oldest', 'drop_newest'] as const) {
    const h = hub();
    const slow = new FakeSink();
    subscribe(h, slow, overflow);
    slow.open = false;
    run(h, Array.from({ length: 20 }, (_, i) => ({ seq: i + 1, topic: 1, payload: Uint8Array.of(i) })));
    slow.drain();
    const order = slow.items.map((i) => ('event' in i ? i.event.seq : 'lost' in i ? `lost ${i.lost.count} ${i.lost.firstSeq}-${i.lost.lastSeq}` : 'link'));
    // The first write (2 events, maxBatch) went before the sink said stop.
    if (overflow === 'drop_oldest') assert.deepEqual(order, [1, 2, 'lost 14 3-16', 17, 18, 19, 20]);
    else assert.deepEqual(order, [1, 2, 3, 4, 5, 6, 'lost 14 7-20']);
    assert.equal(h.counters.lostSubscriber, 14);
  }
});

test('a queue is bounded by bytes as well as events', () => {
  const h = hub();
  const slow = new FakeSink();
  subscribe(h, slow, 'drop_oldest', { byteLimit: 1000 });
  slow.open = false;
  const big = new Uint8Array(300);
  run(h, Array.from({ length: 3 }, (_, i) => ({ seq: i + 1, topic: 1, payload: big })));
  for (let seq = 4; seq <= 10; seq++) run(h, [{ seq, topic: 1, payload: big }]);
  const listed = h.list()[0]!;
  assert.ok(listed.queued <= 3, `${listed.queued} events of 300+ bytes queued under a 1000-byte bound`);
  slow.drain();
  assert.equal(slow.events().length + slow.lost(), 10, 'delivered + lost = published');
  assert.ok(slow.lost() > 0);
});

test('the epoch is told first; a since_seq from another epoch is Lost{DAEMON} with a reason, then this epoch from seq 1', () => {
  const h = new EventHub({ ringEvents: 100, ringBytes: 1 << 20, onWantedChanged: () => {}, epoch: '42' });
  publish(h, 1, 3);
  const same = new FakeSink();
  subscribe(h, same, 'drop_oldest', { sinceSeq: 2, sinceEpoch: '42' });
  assert.equal(same.epoch, '42');
  assert.deepEqual(same.events(), [2, 3]);
  assert.equal(same.lost(), 0);
  const other = new FakeSink();
  subscribe(h, other, 'drop_oldest', { sinceSeq: 900, sinceEpoch: '41' });
  const told = other.items[0] as { lost: Omit<Lost, 'source'> & { source: string } };
  assert.equal(told.lost.source, 'LOSS_SOURCE_DAEMON');
  assert.equal(told.lost.count, 0);
  assert.match(told.lost.detail ?? '', /epoch 41.*epoch 42/);
  assert.deepEqual(other.events(), [1, 2, 3]);
});

test('a since_seq ahead of the newest seq is told, never silent', () => {
  const h = hub();
  publish(h, 1, 3);
  const restarted = new FakeSink();
  subscribe(h, restarted, 'drop_oldest', { sinceSeq: 50 });
  assert.match((restarted.items[0] as { lost: Omit<Lost, 'source'> & { source: string } }).lost.detail ?? '', /ahead of the newest seq 3.*restarted/);
  assert.deepEqual(restarted.events(), [1, 2, 3], 'no epoch given: most likely a restart, so this run from seq 1');
  const sameEpoch = new FakeSink();
  subscribe(h, sameEpoch, 'drop_oldest', { sinceSeq: 50, sinceEpoch: h.epoch });
  assert.match((sameEpoch.items[0] as { lost: Omit<Lost, 'source'> & { source: string } }).lost.detail ?? '', /ahead of the newest seq 3 of this epoch/);
  assert.deepEqual(sameEpoch.events(), []);
  one(h, 4);
  assert.deepEqual(sameEpoch.events(), [4], 'then live events');
});

test('a seq gap inside one run is told between the events it falls between', () => {
  const h = hub();
  const sink = new FakeSink();
  subscribe(h, sink, 'drop_oldest');
  run(h, [1, 2, 5, 6].map((seq) => ({ seq, topic: 1, payload: Uint8Array.of(seq) })));
  const order = sink.items.map((i) => ('event' in i ? i.event.seq : 'lost' in i ? `lost ${i.lost.firstSeq}-${i.lost.lastSeq}` : 'link'));
  assert.deepEqual(order, [1, 2, 'lost 3-4', 5, 6]);
});

test('malformed EVENT frames (short head, seq 0) are counted and skipped; the rest of the run is delivered', () => {
  const h = hub();
  const sink = new FakeSink();
  subscribe(h, sink, 'drop_oldest');
  const { datagram, starts } = eventDatagram([
    { seq: 1, topic: 1, payload: Uint8Array.of(1) },
    { seq: 2, topic: 1, payload: Uint8Array.of(2) },
  ]);
  // Zero the second event's seq.
  datagram.fill(0, starts[1]! + 16, starts[1]! + 24);
  h.events(datagram, starts, 2);
  assert.deepEqual(sink.events(), [1]);
  assert.equal(h.counters.malformed, 1);
});

// Subscribers of given uids with roomy queues of their own (limit 1000
// events), under a hub whose queued-bytes budget is what is tested.
function budgetHub(total: number, perUid: number): EventHub {
  return new EventHub({ ringEvents: 100, ringBytes: 1 << 20, onWantedChanged: () => {}, queueBytesTotal: total, queueBytesPerUid: perUid });
}

function subscribeAs(h: EventHub, sink: FakeSink, uid: number, overflow: Overflow = 'drop_oldest'): number {
  return h.add({ uid, pid: 1, topics: new Set([1]), overflow: policy(overflow), limit: 1000, byteLimit: 1 << 20, maxBatch: 2, sinceSeq: 0, sink }).id;
}

const KB = new Uint8Array(1000);

function publishBig(h: EventHub, from: number, to: number): void {
  for (let seq = from; seq <= to; seq++) run(h, [{ seq, topic: 1, payload: KB }]);
}

test('a uid past its share of queued bytes: its largest queue gives way, other uids keep everything', () => {
  const h = budgetHub(1 << 20, 20_000);
  const hog = new FakeSink();
  const other = new FakeSink();
  subscribeAs(h, hog, 1000);
  subscribeAs(h, other, 2000);
  hog.open = false;
  publishBig(h, 1, 30);
  const byUid = new Map(h.list().map((s) => [s.uid, s]));
  assert.ok(byUid.get(1000)!.queued <= 20, `uid 1000 holds ${byUid.get(1000)!.queued} events of ~1 KB under a 20,000-byte share`);
  assert.ok(h.queuedBytes <= 20_000, `${h.queuedBytes} bytes queued in all`);
  assert.deepEqual(other.events(), Array.from({ length: 30 }, (_, i) => i + 1), 'the reading uid lost nothing');
  assert.equal(other.lost(), 0);
  assert.ok(h.counters.budgetCuts > 0);
  hog.drain();
  assert.equal(hog.events().length + hog.lost(), 30, 'delivered + lost = published: the cut is told');
  assert.deepEqual(hog.items.flatMap((i) => ('lost' in i ? [i.lost.source] : [])), ['LOSS_SOURCE_SUBSCRIBER']);
});

test('the daemon past its total budget: the largest queue of any uid gives way; root is bound by the total alone', () => {
  const h = budgetHub(25_000, 1 << 20);
  const a = new FakeSink();
  const b = new FakeSink();
  const root = new FakeSink();
  subscribeAs(h, a, 1000);
  a.open = false;
  publishBig(h, 1, 10);
  subscribeAs(h, b, 2000);
  subscribeAs(h, root, 0);
  b.open = false;
  root.open = false;
  publishBig(h, 11, 20);
  assert.ok(h.queuedBytes <= 25_000, `${h.queuedBytes} bytes queued under a 25,000-byte budget`);
  const queued = new Map(h.list().map((s) => [s.uid, s.queued]));
  assert.ok(queued.get(1000)! < 10, `the largest queue (uid 1000, 20 events behind) gave way: ${queued.get(1000)}`);
  for (const [sink, given] of [[a, 20], [b, 10], [root, 10]] as const) {
    sink.drain();
    assert.equal(sink.events().length + sink.lost(), given, 'delivered + lost = given, for each');
  }
});

test('a disconnect subscriber that is the largest when the budget is exceeded is ended with RESOURCE_EXHAUSTED naming the budget', () => {
  const h = budgetHub(1 << 20, 10_000);
  const hog = new FakeSink();
  subscribeAs(h, hog, 1000, 'disconnect');
  hog.open = false;
  publishBig(h, 1, 20);
  assert.equal(hog.destroyed?.code, 8);
  assert.match(hog.destroyed!.details, /uid 1000's queued events reached their share of 10000 bytes \(limits\.queueBytesPerUid\)/);
  assert.equal(h.size, 0);
  assert.equal(h.queuedBytes, 0, 'a removed queue counts no more');
});

// Whether each slice's chunk was already encoded when the sink was handed it.
class EncodingSink extends FakeSink {
  encodedAtWrite: boolean[] = [];
  constructor(readonly payloadsOnly = false) {
    super();
  }
  override onWrite(items: readonly OutItem[]): void {
    super.onWrite(items);
    for (const i of items) if (i instanceof Slice) this.encodedAtWrite.push(i.chunk.encoded);
  }
}

test('a run is encoded at once only for a Subscribe stream that will write it now; a stalled one, a typed watch and the ring keep the kernel\'s copy', () => {
  const h = hub();
  const reading = new EncodingSink();
  subscribe(h, reading, 'drop_oldest');
  one(h, 1);
  assert.deepEqual(reading.encodedAtWrite, [true], 'a stream taking writes: encoded in the same pass as the copy');

  const h2 = hub();
  const watch = new EncodingSink(true);
  subscribe(h2, watch, 'drop_oldest');
  one(h2, 1);
  assert.deepEqual(watch.encodedAtWrite, [false], 'a typed watch sends payloads as they are');

  const h3 = hub();
  const stalled = new EncodingSink();
  stalled.open = false;
  subscribe(h3, stalled, 'drop_oldest');
  one(h3, 1);
  one(h3, 2);
  assert.deepEqual(stalled.encodedAtWrite, [true], 'the first run was written at once; the second waits');
  stalled.drain();
  assert.deepEqual(stalled.encodedAtWrite, [true, false], 'what waited for a stalled stream was not encoded ahead of it');
  assert.deepEqual(stalled.events(), [1, 2]);

  const h4 = hub();
  const other = new EncodingSink();
  subscribe(h4, other, 'drop_oldest', { topics: [2] });
  one(h4, 1, 1);
  const late = new EncodingSink();
  late.open = false;
  subscribe(h4, late, 'drop_oldest', { sinceSeq: 1 });
  assert.deepEqual(late.encodedAtWrite, [false], 'a run only the ring kept was not encoded for it');
  assert.deepEqual(late.events(), [1]);
});
