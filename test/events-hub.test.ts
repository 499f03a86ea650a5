// EventHub's bookkeeping with a sink we control: what a stalled
// subscriber is told under each overflow policy, filters, resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { EventHub, type Item, type OverflowPolicy, type Sink } from '../daemon/src/bridge/events';

class FakeSink implements Sink {
  items: Item[] = [];
  open = true;
  destroyed: { code: number; details: string } | null = null;
  #drain: (() => void) | null = null;
  write(items: Item[]): boolean {
    this.items.push(...items);
    return this.open;
  }
  once(_event: 'drain', listener: () => void): unknown {
    this.#drain = listener;
    return this;
  }
  end(): void {}
  destroy(err: { code: number; details: string }): void {
    this.destroyed = err;
  }
  drain(): void {
    this.open = true;
    const d = this.#drain;
    this.#drain = null;
    d?.();
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

function subscribe(h: EventHub, sink: FakeSink, overflow: OverflowPolicy, extra: { sinceSeq?: number; prefix?: Uint8Array; topics?: number[] } = {}): number {
  return h.add({ uid: 0, pid: 1, topics: new Set(extra.topics ?? [1]), overflow, limit: 4, maxBatch: 2, sinceSeq: extra.sinceSeq ?? 0, sink, ...(extra.prefix ? { prefix: extra.prefix } : {}) });
}

function publish(h: EventHub, from: number, to: number, topic = 1): void {
  for (let seq = from; seq <= to; seq++) h.event(seq, 0n, topic, Uint8Array.of(seq & 0xff));
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
  const h = new EventHub({ ringEvents: 5, ringBytes: 1 << 20, onWantedChanged: () => {} });
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
  h.event(5, 0n, 1, Uint8Array.of(5));
  h.linkReady();
  h.event(1, 0n, 1, Uint8Array.of(1));
  const lost = sink.items.find((i) => 'lost' in i) as { lost: { count: number; firstSeq: number; lastSeq: number; source: string } };
  assert.deepEqual([lost.lost.count, lost.lost.firstSeq, lost.lost.lastSeq, lost.lost.source], [2, 3, 4, 'LOSS_SOURCE_KERNEL']);
  assert.deepEqual(sink.events(), [1, 2, 5, 6]);
});

test('hold/release: the events of one datagram leave as one batch, and holding loses nothing a writable sink would get', () => {
  const h = hub();
  const writes: number[] = [];
  const sink = new FakeSink();
  const write = sink.write.bind(sink);
  sink.write = (items) => {
    writes.push(items.length);
    return write(items);
  };
  h.add({ uid: 0, pid: 1, topics: new Set([1]), overflow: 'drop_oldest', limit: 3, maxBatch: 256, sinceSeq: 0, sink });
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
  h.event(1, 0n, 1, Uint8Array.of(1));
  for (let seq = 3; seq <= 20_001; seq += 2) h.event(seq, 0n, 1, Uint8Array.of(seq & 0xff));
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
  h.event(4, 0n, 1, Uint8Array.of(4));
  h.loss(1, 2, 5, 6);
  h.event(7, 0n, 1, Uint8Array.of(7));
  const told = sink.items.flatMap((i) => ('lost' in i ? [`${i.lost.source} ${i.lost.firstSeq}-${i.lost.lastSeq}`] : 'event' in i ? [String(i.event.seq)] : []));
  assert.deepEqual(told, ['1', '2', 'LOSS_SOURCE_LINK 3-5', '6', 'LOSS_SOURCE_KERNEL 7-8', '9']);
  assert.equal(h.counters.lostLink, 3);
  assert.equal(h.counters.lostKernel, 2);
});
