// The export itself: subscribe to the daemon from the saved cursor,
// publish each event (and each loss) to JetStream with a message id that
// makes replays harmless, keep a bounded number of publishes in flight,
// and advance the cursor only past what JetStream acknowledged, in order.
import { connect, createInbox, ErrorCode, nanos, NatsError, RetentionPolicy, StorageType, type Msg, type MsgHdrs, type NatsConnection } from 'nats';
import { KextBridgeClient, KextBridgeError, type BatchItem } from 'kextbridge';
import { Backoff, bindService, loadSchema, sleep, typedServices } from '@kextbridge/protocol';

import type { ExportConfig } from './config';
import { loadCursor, saveCursor, writeAtomically, type Cursor } from './cursor';
import { lossPublication, TopicEnvelope, type Publication, type Source } from './envelope';
import { PublishWindow } from './window';
import { pubAckOutcome } from './ack';
import type { Logger } from './log';

export interface ExportStatus {
  cursor: Cursor | null;
  // Daemon seqs not yet in the stream (same epoch); -1 when unknown.
  lag: number;
  published: number;
  duplicates: number;
  lossRecords: number;
  inFlight: number;
  natsConnected: boolean;
}

// An ack later than this fails the publish, which is then sent again.
const ACK_TIMEOUT_MS = 5000;
// The daemon's queue for this subscription, in events: the most it
// allows (limits.subscriberQueueMax), so that a burst, or a moment of
// NATS being slow, is held rather than dropped (and told as lost).
const QUEUE_LIMIT = 65_536;

export class Exporter {
  readonly #c: ExportConfig;
  readonly #log: Logger;
  #cursor: Cursor | null = null;
  #saved = '';
  #epoch = '';
  readonly #window: PublishWindow;
  #nc: NatsConnection | undefined;
  // Publishes are core NATS publishes with a reply subject of ours, where
  // JetStream sends its ack: one subscription and one timer for the whole
  // window, not a promise and a timer per message (js.publish), which
  // cost a tenth of the throughput at these rates.
  #inbox = '';
  readonly #publishOptions: { reply: string; headers: MsgHdrs | undefined } = { reply: '', headers: undefined };
  #daemon: KextBridgeClient | undefined;
  // By topic id, for the current epoch.
  readonly #envelopes = new Map<number, TopicEnvelope>();
  #lastSeq = -1;
  readonly #counts = { published: 0, duplicates: 0, lossRecords: 0 };
  readonly #retry = new Backoff(250, 5000);
  #retryScheduled = false;
  // Resolved when the window has room again (or everything is settled).
  #room: (() => void) | null = null;

  constructor(config: ExportConfig, log: Logger) {
    this.#c = config;
    this.#log = log;
    this.#window = new PublishWindow(config.maxInFlight);
  }

  status(): ExportStatus {
    const lag = this.#cursor && this.#lastSeq >= 0 && this.#cursor.epoch === this.#epoch ? Math.max(0, this.#lastSeq - this.#cursor.seq) : -1;
    return { cursor: this.#cursor, lag, ...this.#counts, inFlight: this.#window.size, natsConnected: this.#nc !== undefined && !this.#nc.isClosed() };
  }

  async run(signal: AbortSignal): Promise<void> {
    const c = this.#c;
    this.#cursor = loadCursor(c.cursorFile);
    this.#log.info({ cursor: this.#cursor, stream: c.stream, servers: c.servers }, this.#cursor ? 'resuming from the saved cursor' : 'no cursor: starting from the oldest event the daemon keeps');
    const nc = (this.#nc = await connect({ servers: c.servers, name: `kextbridge-export ${c.host}`, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 500, waitOnFirstConnect: true }));
    void (async () => {
      for await (const s of nc.status()) this.#log.info({ nats: s.type, data: String(s.data) }, 'NATS connection');
    })();
    // A cluster just started, or electing a leader, does not answer the
    // JetStream API for some seconds. A stream that does not fit the
    // config is an error to fix.
    await this.#untilAnswered(
      () => this.#ensureStream(nc),
      (err) =>
        err instanceof NatsError && (err.code === ErrorCode.Timeout || err.code === ErrorCode.NoResponders)
          ? { msg: 'JetStream does not answer yet (starting, or electing a leader); retrying', fields: { err: err.message, stream: c.stream } }
          : null,
      new Backoff(250, 5000),
      signal,
    );
    this.#inbox = createInbox();
    const acks = nc.subscribe(`${this.#inbox}.*`, { callback: (_err, msg) => this.#onAck(msg) });
    const timeouts = setInterval(() => this.#expire(), 250);
    const daemon = (this.#daemon = new KextBridgeClient({ socket: c.socket }));
    const { source, topicNames, types } = await this.#describe(daemon, signal);
    signal.addEventListener('abort', () => this.#wakeRoom(), { once: true });
    const ticker = setInterval(() => void this.#tick(), c.statusIntervalMs);
    const saver = setInterval(() => this.#save(), 200);
    try {
      const since = this.#cursor ? { sinceSeq: this.#cursor.seq + 1, sinceEpoch: this.#cursor.epoch } : {};
      for await (const batch of daemon.subscribeBatches({ topics: c.topics, signal, queueLimit: QUEUE_LIMIT, onEpoch: (e) => this.#onEpoch(e), ...since })) {
        // A batch is published without yielding while the window has
        // room: nats.js writes to its socket once per turn of the event
        // loop, so an await per event was a write per event.
        for (const item of batch) {
          while (this.#window.full && !signal.aborted) await this.#waitForRoom();
          if (signal.aborted) break;
          this.#take(item, source, topicNames, types);
        }
      }
      await this.#drain(10_000);
    } finally {
      clearInterval(ticker);
      clearInterval(saver);
      clearInterval(timeouts);
      acks.unsubscribe();
      this.#save();
      await this.#tick();
      daemon.close();
      await nc.drain().catch(() => nc.close());
    }
  }

  #onEpoch(epoch: string): void {
    if (this.#epoch && epoch !== this.#epoch) this.#log.warn({ from: this.#epoch, to: epoch }, 'the daemon restarted (new epoch)');
    if (epoch !== this.#epoch) this.#envelopes.clear();
    this.#epoch = epoch;
  }

  // Tries until `attempt` answers. An error `passing` describes (a peer
  // still starting) is logged as it says and waited out with backoff; any
  // other error, or a stop, ends it.
  async #untilAnswered<T>(attempt: () => Promise<T>, passing: (err: unknown) => { msg: string; fields: object } | null, backoff: Backoff, signal: AbortSignal): Promise<T> {
    for (;;) {
      try {
        return await attempt();
      } catch (err) {
        const why = signal.aborted ? null : passing(err);
        if (why === null) throw err;
        this.#log.warn(why.fields, why.msg);
        await sleep(backoff.next(), signal);
      }
    }
  }

  async #ensureStream(nc: NatsConnection): Promise<void> {
    const c = this.#c;
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(c.stream).catch((err: Error) => {
      if (/not found/i.test(err.message)) return null;
      throw err;
    });
    if (!info) {
      await jsm.streams.add({ name: c.stream, subjects: ['kextbridge.>'], num_replicas: c.replicas, duplicate_window: nanos(c.duplicateWindowMs), storage: StorageType.File, retention: RetentionPolicy.Limits }).catch(async (err: Error) => {
        if (!/overlap/i.test(err.message)) throw err;
        const other = await jsm.streams.find(`kextbridge.${c.host}.x`).catch(() => 'another stream');
        throw new Error(`stream ${c.stream} cannot be created: its subjects kextbridge.> overlap those of stream ${other}; export into that one (--stream ${other}) or change its subjects`);
      });
      this.#log.info({ stream: c.stream, replicas: c.replicas }, 'created the JetStream stream');
      return;
    }
    const covers = info.config.subjects?.some((s) => s === 'kextbridge.>' || s === `kextbridge.${c.host}.>`) ?? false;
    if (!covers) throw new Error(`stream ${c.stream} does not take subjects kextbridge.${c.host}.>: its subjects are ${JSON.stringify(info.config.subjects)}; name another --stream or add the subject`);
    if (info.config.num_replicas !== c.replicas) throw new Error(`stream ${c.stream} has ${info.config.num_replicas} replicas, the config asks for ${c.replicas}; change replicas or the stream`);
  }

  // The kext's identity and the topics' names and payload types.
  async #describe(daemon: KextBridgeClient, signal: AbortSignal): Promise<{ source: Source; topicNames: Map<number, string>; types: Map<string, string> }> {
    const d = await this.#untilAnswered(() => daemon.describe(), (err) => ({ msg: 'the daemon does not answer Describe yet; retrying', fields: { err: KextBridgeError.from(err).message } }), new Backoff(200, 5000), signal);
    const types = new Map<string, string>();
    if (this.#c.protoFiles.length > 0) {
      for (const service of typedServices(loadSchema(this.#c.protoFiles))) {
        for (const b of bindService(service).bindings) if (b.kind === 'topic') types.set(b.name, b.response.fullName.replace(/^\./, ''));
      }
    }
    return { source: { host: this.#c.host, kext: d.kextIdentity }, topicNames: new Map(d.topics.map((t) => [t.id, t.name])), types };
  }

  // Seqs and times come as the daemon's decimal strings (the batch
  // decoder makes them without BigInt): as they go into headers and ids.
  #take(item: BatchItem, source: Source, topicNames: Map<number, string>, types: Map<string, string>): void {
    if (item.event) {
      const e = item.event;
      let envelope = this.#envelopes.get(e.topic);
      if (!envelope) {
        const topic = topicNames.get(e.topic) ?? String(e.topic);
        envelope = new TopicEnvelope(source, this.#epoch, topic, types.get(topic));
        this.#envelopes.set(e.topic, envelope);
      }
      this.#publish(envelope.event(e.seq, e.timeNs, e.payload), this.#epoch, Number(e.seq));
    } else if (item.lost) {
      const l = item.lost;
      const count = Number(l.count);
      const last = Number(l.lastSeq);
      this.#counts.lossRecords++;
      this.#log.warn({ lost: l }, 'events the stream will not have; a loss record says so');
      const at = count > 0 ? last : (this.#cursor?.epoch === this.#epoch ? this.#cursor.seq : 0);
      this.#publish(lossPublication(source, { epoch: this.#epoch, count, firstSeq: Number(l.firstSeq), lastSeq: last, source: String(l.source), detail: l.detail }), this.#epoch, at);
    }
  }

  #publish(pub: Publication, epoch: string, seq: number): void {
    const now = performance.now();
    this.#send(pub, this.#window.add(pub, epoch, seq, now));
  }

  // Resolved by the next settle (#advance) or by a stop (#wakeRoom from
  // the abort listeners run() and #drain register once each).
  #waitForRoom(): Promise<void> {
    return new Promise((res) => (this.#room = res));
  }

  #wakeRoom(): void {
    const room = this.#room;
    this.#room = null;
    room?.();
  }

  #send(pub: Publication, position: number): void {
    // One options object for every publish: nats.js reads it at once.
    const o = this.#publishOptions;
    o.reply = `${this.#inbox}.${position}`;
    o.headers = pub.headers;
    this.#nc!.publish(pub.subject, pub.data, o);
  }

  // JetStream's answer (ack.ts), or a 503 status: no stream answered.
  #onAck(msg: Msg): void {
    const position = positionIn(msg.subject, this.#inbox.length + 1);
    const outcome = msg.headers?.hasError ? 'failed' : pubAckOutcome(msg.data);
    if (!this.#window.ack(position, outcome)) return;
    if (outcome === 'failed') this.#failed(msg.headers?.hasError ? `${msg.headers.code} ${msg.headers.description}` : Buffer.from(msg.data).toString() || 'an empty answer');
    this.#advance();
  }

  #expire(): void {
    const expired = this.#window.expire(performance.now() - ACK_TIMEOUT_MS);
    if (expired === 0) return;
    this.#failed(`no ack within ${ACK_TIMEOUT_MS} ms (${expired} publishes)`);
    this.#advance();
  }

  #failed(why: string): void {
    if (!this.#retryScheduled) this.#log.warn({ err: why }, 'publish not acknowledged; sending again');
  }

  // Settles acknowledged publishes from the oldest on, moving the cursor
  // past them; when the oldest failed (NATS away, a timeout), every failed
  // one is sent again, same ids, after a backoff.
  #advance(): void {
    const settled = this.#window.settle();
    if (settled.stored + settled.duplicates > 0) {
      this.#counts.published += settled.stored;
      this.#counts.duplicates += settled.duplicates;
      // In place: an ack per event would otherwise make a cursor per event.
      if (this.#cursor) {
        this.#cursor.epoch = settled.epoch;
        this.#cursor.seq = settled.seq;
      } else {
        this.#cursor = { epoch: settled.epoch, seq: settled.seq };
      }
      this.#retry.reset();
    }
    if (this.#window.headFailed && !this.#retryScheduled) {
      this.#retryScheduled = true;
      setTimeout(() => {
        this.#retryScheduled = false;
        for (const [position, pub] of this.#window.resend(performance.now())) this.#send(pub, position);
      }, this.#retry.next());
    }
    if (!this.#window.full) this.#wakeRoom();
  }

  async #drain(graceMs: number): Promise<void> {
    const giveUp = new AbortController();
    const timer = setTimeout(() => giveUp.abort(), graceMs);
    giveUp.signal.addEventListener('abort', () => this.#wakeRoom(), { once: true });
    while (this.#window.size > 0 && !giveUp.signal.aborted) await this.#waitForRoom();
    clearTimeout(timer);
    if (this.#window.size > 0) this.#log.warn({ unacknowledged: this.#window.size }, 'stopping with publishes unacknowledged; the next run sends them again from the cursor');
  }

  #save(): void {
    if (!this.#cursor) return;
    const text = `${this.#cursor.epoch}/${this.#cursor.seq}`;
    if (text === this.#saved) return;
    saveCursor(this.#c.cursorFile, this.#cursor);
    this.#saved = text;
  }

  async #tick(): Promise<void> {
    try {
      const s = await this.#daemon?.status();
      if (s) this.#lastSeq = Number(s.counters?.lastSeq ?? -1);
    } catch {
      this.#lastSeq = -1;
    }
    const status = this.status();
    this.#log.info(status, 'export status');
    writeAtomically(statusFile(this.#c.cursorFile), `${JSON.stringify({ ...status, at: new Date().toISOString() })}\n`);
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

export function statusFile(cursorFile: string): string {
  return `${cursorFile}.status.json`;
}
