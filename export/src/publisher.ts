// Publishes to JetStream with a bounded window of unacknowledged
// publishes, and moves the cursor only past what the stream confirmed, in
// order. Publishes are core NATS publishes with a reply subject of ours,
// where JetStream sends its ack: one subscription and one timer for the
// whole window, not a promise and a timer per message (js.publish), which
// cost a tenth of the throughput at these rates.
//
// A publish that fails (an error answer, no ack in time, NATS away) is
// sent again, same id, after a backoff; but never blindly: first the
// stream is read back from the oldest failed publish's floor
// (recovery.ts), and what it already holds is settled, not sent. While
// NATS is disconnected nothing is sent again; the publishes that were
// unanswered when the connection dropped are failed at the reconnect (their
// acks went to a connection that is gone).
import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from 'nats';
import { Backoff } from '@kextbridge/protocol';

import { readPubAck, type PubAck } from './ack';
import type { Publication } from './envelope';
import type { Logger } from './log';
import type { Found } from './recovery';
import { PublishWindow } from './window';

// An ack later than this fails the publish.
export const ACK_TIMEOUT_MS = 5000;

export interface PublisherCounts {
  // Stored by JetStream.
  published: number;
  // Dropped by JetStream as replays of an id it remembered.
  duplicates: number;
  // Found in the stream by a read-back, so not sent (again).
  recovered: number;
}

export interface PublisherOptions {
  maxInFlight: number;
  // The stream's last sequence before this run sends anything: below
  // whatever it will store.
  streamLastSeq: number;
  // This host's message ids stored past a stream sequence.
  readBack: (afterStreamSeq: number) => Promise<Found>;
  // The cursor moves: the last settled item, and the stream sequence past
  // which everything after it is stored.
  onSettled: (epoch: string, seq: number, streamSeq: number) => void;
  // Publish-to-ack seconds of one publish in each 250 ms (a sample: the
  // time is read for that one publish only, never per event).
  onAckLatency?: (seconds: number) => void;
  log: Logger;
}

export class Publisher {
  readonly counts: PublisherCounts = { published: 0, duplicates: 0, recovered: 0 };
  readonly #nc: NatsConnection;
  readonly #options: PublisherOptions;
  readonly #window: PublishWindow;
  readonly #inbox = createInbox();
  readonly #acks: Subscription;
  readonly #expiry: NodeJS.Timeout;
  // One options object and one ack for every publish: nats.js reads the
  // options at once, and the ack is read before the next arrives.
  readonly #publishOptions: { reply: string; headers: MsgHdrs | undefined } = { reply: '', headers: undefined };
  readonly #ack: PubAck = { outcome: 'failed', seq: -1 };
  readonly #retry = new Backoff(250, 5000);
  // The highest stream sequence any ack named: a publish sent now is
  // stored above it (the floor the window keeps for each).
  #highestAcked: number;
  // While a start-up read-back's finds are being replayed, the cursor's
  // stream sequence stays at the read-back's start (what it found lies
  // between there and the floors of the publishes sent since).
  #heldFloor = Infinity;
  #heldUntil = Infinity;
  #connected = true;
  #disconnectedAt = 0;
  #resendPending = false;
  #room: (() => void) | null = null;
  // The sampled publish: armed by the timer, taken by the next publish,
  // observed at its ack.
  #probeArmed = false;
  #probePosition = -1;
  #probeAt = 0;

  constructor(nc: NatsConnection, o: PublisherOptions) {
    this.#nc = nc;
    this.#options = o;
    this.#window = new PublishWindow(o.maxInFlight);
    this.#highestAcked = o.streamLastSeq;
    this.#window.tick(performance.now());
    this.#acks = nc.subscribe(`${this.#inbox}.*`, { callback: (_err, msg) => this.#onAck(msg) });
    this.#expiry = setInterval(() => this.#expire(), 250);
  }

  get inFlight(): number {
    return this.#window.size;
  }

  get full(): boolean {
    return this.#window.full;
  }

  get connected(): boolean {
    return this.#connected;
  }

  publish(pub: Publication, epoch: string, seq: number): void {
    const position = this.#window.add(pub, epoch, seq, this.#highestAcked);
    if (this.#probeArmed) {
      this.#probeArmed = false;
      this.#probePosition = position;
      this.#probeAt = performance.now();
    }
    this.#send(pub, position);
  }

  // An item a read-back found stored at streamSeq: it settles in its turn
  // without being sent.
  alreadyStored(epoch: string, seq: number, streamSeq: number): void {
    this.#window.addStored(epoch, seq, this.#highestAcked);
    this.#heldFloor = Math.min(this.#heldFloor, streamSeq - 1);
    this.#advance();
  }

  // Keeps the cursor's stream sequence at `floor` until release().
  hold(floor: number): void {
    this.#heldFloor = floor;
    this.#heldUntil = Infinity;
  }

  // The hold ends once what was queued so far has settled.
  release(): void {
    this.#heldUntil = this.#window.head + this.#window.size - 1;
    this.#advance();
  }

  disconnected(): void {
    this.#connected = false;
    this.#disconnectedAt = performance.now();
  }

  reconnected(): void {
    this.#connected = true;
    const lost = this.#window.expire(this.#disconnectedAt + 1);
    if (lost > 0) this.#options.log.warn({ unanswered: lost }, 'NATS reconnected: publishes sent before the drop are read back from the stream, and sent again if it does not have them');
    this.#advance();
  }

  // Resolved once the window has room again, everything settled, or wake().
  waitForRoom(): Promise<void> {
    return new Promise((res) => (this.#room = res));
  }

  wake(): void {
    const room = this.#room;
    this.#room = null;
    room?.();
  }

  // Waits up to graceMs for every publish to settle.
  async drain(graceMs: number): Promise<void> {
    const deadline = setTimeout(() => this.wake(), graceMs);
    const until = Date.now() + graceMs;
    while (this.#window.size > 0 && Date.now() < until) await this.waitForRoom();
    clearTimeout(deadline);
    if (this.#window.size > 0) this.#options.log.warn({ unacknowledged: this.#window.size }, 'stopping with publishes unacknowledged; the next run reads the stream back and sends what it lacks');
  }

  close(): void {
    clearInterval(this.#expiry);
    this.#acks.unsubscribe();
    this.wake();
  }

  #send(pub: Publication, position: number): void {
    const o = this.#publishOptions;
    o.reply = `${this.#inbox}.${position}`;
    o.headers = pub.headers;
    this.#nc.publish(pub.subject, pub.data, o);
  }

  // JetStream's answer (ack.ts), or a 503 status: no stream answered.
  #onAck(msg: Msg): void {
    const position = positionIn(msg.subject, this.#inbox.length + 1);
    const ack = msg.headers?.hasError ? null : readPubAck(msg.data, this.#ack);
    const outcome = ack?.outcome ?? 'failed';
    if (ack && ack.seq > this.#highestAcked) this.#highestAcked = ack.seq;
    if (position === this.#probePosition) {
      this.#probePosition = -1;
      if (outcome !== 'failed') this.#options.onAckLatency?.((performance.now() - this.#probeAt) / 1000);
    }
    if (!this.#window.ack(position, outcome)) return;
    if (outcome === 'failed') this.#failed(msg.headers?.hasError ? `${msg.headers.code} ${msg.headers.description}` : Buffer.from(msg.data).toString() || 'an empty answer');
    this.#advance();
  }

  #expire(): void {
    const now = performance.now();
    // A sampled publish that never got its ack stops being waited for.
    if (this.#probePosition >= 0 && now - this.#probeAt > 2 * ACK_TIMEOUT_MS) this.#probePosition = -1;
    if (this.#options.onAckLatency && this.#probePosition < 0) this.#probeArmed = true;
    this.#window.tick(now);
    const expired = this.#window.expire(now - ACK_TIMEOUT_MS);
    if (expired === 0) return;
    this.#failed(`no ack within ${ACK_TIMEOUT_MS} ms (${expired} publishes)`);
    this.#advance();
  }

  #failed(why: string): void {
    if (!this.#resendPending) this.#options.log.warn({ err: why }, 'publish not acknowledged; reading the stream back, then sending again what it lacks');
  }

  // Settles from the oldest on, moving the cursor; when the oldest failed,
  // a resend is due.
  #advance(): void {
    const s = this.#window.settle();
    if (s.stored + s.duplicates + s.recovered > 0) {
      this.counts.published += s.stored;
      this.counts.duplicates += s.duplicates;
      this.counts.recovered += s.recovered;
      if (this.#window.head > this.#heldUntil) this.#heldFloor = this.#heldUntil = Infinity;
      const next = s.nextFloor >= 0 ? s.nextFloor : this.#highestAcked;
      this.#options.onSettled(s.epoch, s.seq, Math.min(next, this.#heldFloor));
      if (s.stored + s.duplicates > 0) this.#retry.reset();
    }
    if (this.#window.headFailed && !this.#resendPending) {
      this.#resendPending = true;
      setTimeout(() => void this.#resend(), this.#retry.next());
    }
    if (!this.#window.full) this.wake();
  }

  // Reads the stream back from the oldest failed publish's floor, settles
  // what it holds, sends the rest again. Not while disconnected (the
  // reconnect comes back here); a read-back that fails is tried again
  // after the backoff.
  async #resend(): Promise<void> {
    if (!this.#connected) {
      this.#resendPending = false;
      return;
    }
    const floor = this.#window.failedFloor;
    try {
      if (floor >= 0) {
        const found = await this.#options.readBack(floor);
        let stored = 0;
        for (const [position, pub] of this.#window.failed()) {
          if (found.has(pub.headers.get('Nats-Msg-Id')) && this.#window.ack(position, 'recovered')) stored++;
        }
        if (stored > 0) this.#options.log.info({ stored, after: floor }, 'the stream holds publishes whose acks were lost: settled, not sent again');
      }
    } catch (err) {
      this.#options.log.warn({ err: (err as Error).message }, 'cannot read the stream back yet; trying again');
      this.#resendPending = false;
      this.#advance();
      return;
    }
    this.#resendPending = false;
    if (!this.#connected) return;
    for (const [position, pub] of this.#window.resend(performance.now())) this.#send(pub, position);
    this.#advance();
  }
}

// The decimal number a reply subject ends with, from `from` on (-1 when
// there is none), without cutting a string per ack.
function positionIn(subject: string, from: number): number {
  let n = 0;
  if (from >= subject.length) return -1;
  for (let i = from; i < subject.length; i++) {
    const d = subject.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
