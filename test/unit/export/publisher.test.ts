import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Msg, NatsConnection } from 'nats';
import pino from 'pino';
import { Publisher } from 'kextbridge-export/internal/publisher';
import { TopicEnvelope } from 'kextbridge-export/internal/envelope';
import { until } from '../../support/wait';

// Just what the publisher uses of a NATS connection: one subscription (its
// ack inbox) and publish; what it publishes is kept, acks are handed in.
class FakeNats {
  inbox = '';
  sent: Array<{ subject: string; reply: string; id: string }> = [];
  #onAck: ((err: null, msg: Msg) => void) | undefined;
  subscribe(subject: string, o: { callback: (err: null, msg: Msg) => void }): { unsubscribe(): void } {
    this.inbox = subject.slice(0, -2);
    this.#onAck = o.callback;
    return { unsubscribe: () => undefined };
  }
  publish(subject: string, _data: Uint8Array, o: { reply: string; headers: { get(k: string): string } }): void {
    this.sent.push({ subject, reply: o.reply, id: o.headers.get('Nats-Msg-Id') });
  }
  ack(position: number, body: string): void {
    this.#onAck!(null, { subject: `${this.inbox}.${position}`, data: new Uint8Array(Buffer.from(body)), headers: undefined } as unknown as Msg);
  }
}

const envelope = new TopicEnvelope({ host: 'h', kext: 'k' }, '7', 'exec', undefined);
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function setUp(found: Map<string, number>): { nats: FakeNats; publisher: Publisher; cursor: Array<[string, number, number]>; readBacks: number[] } {
  const nats = new FakeNats();
  const cursor: Array<[string, number, number]> = [];
  const readBacks: number[] = [];
  const publisher = new Publisher(nats as unknown as NatsConnection, {
    maxInFlight: 8,
    streamLastSeq: 100,
    readBack: async (after) => {
      readBacks.push(after);
      return found;
    },
    onSettled: (epoch, seq, streamSeq) => cursor.push([epoch, seq, streamSeq]),
    log: pino({ level: 'silent' }),
  });
  for (const seq of [1, 2, 3]) publisher.publish(envelope.event(String(seq), '1', new Uint8Array(0)), '7', seq);
  return { nats, publisher, cursor, readBacks };
}

test('acks lost with a dropped connection: the stream is read back from the oldest unanswered one\'s floor, what it holds settles, only the rest is sent again', async () => {
  const { nats, publisher, cursor, readBacks } = setUp(new Map([['h/7/2', 102]]));
  try {
    nats.ack(0, '{"stream":"S","seq":101}');
    assert.deepEqual(cursor, [['7', 1, 100]], 'the next unsettled one was sent when the stream had acked up to 100');
    publisher.disconnected();
    publisher.reconnected();
    await until('a read-back and a resend after the reconnect', () => nats.sent.length > 3);
    assert.deepEqual(readBacks, [100]);
    assert.deepEqual(nats.sent.slice(3).map((s) => [s.id, s.reply.split('.').at(-1)]), [['h/7/3', '2']], 'seq 3 again, at its position; seq 2 is in the stream');
    assert.deepEqual(publisher.counts, { published: 1, duplicates: 0, recovered: 1 });
    nats.ack(2, '{"stream":"S","seq":103}');
    assert.deepEqual(cursor.at(-1), ['7', 3, 103]);
    assert.equal(publisher.inFlight, 0);
  } finally {
    publisher.close();
  }
});

test('while disconnected nothing is sent again; a failed read-back is tried again rather than sending blind', async () => {
  let fail = true;
  const nats = new FakeNats();
  const publisher = new Publisher(nats as unknown as NatsConnection, {
    maxInFlight: 8,
    streamLastSeq: 0,
    readBack: async () => {
      if (fail) throw new Error('timeout');
      return new Map();
    },
    onSettled: () => undefined,
    log: pino({ level: 'silent' }),
  });
  try {
    publisher.publish(envelope.event('1', '1', new Uint8Array(0)), '7', 1);
    nats.ack(0, '{"error":{"code":503}}');
    publisher.disconnected();
    await wait(400);
    assert.equal(nats.sent.length, 1, 'not sent again while disconnected');
    publisher.reconnected();
    await wait(700);
    assert.equal(nats.sent.length, 1, 'the read-back failed: nothing sent');
    fail = false;
    await until('read back, not there: sent again', () => nats.sent.length === 2);
  } finally {
    publisher.close();
  }
});
