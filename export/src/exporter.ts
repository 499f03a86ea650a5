// The export itself: subscribe to the daemon from the saved cursor,
// publish each event (and each loss) to JetStream with a message id that
// makes replays harmless, keep a bounded number of publishes in flight,
// and advance the cursor only past what JetStream acknowledged, in order.
import { connect, createInbox, nanos, RetentionPolicy, StorageType, type Msg, type NatsConnection } from 'nats';
import { KextBridgeClient, KextBridgeError, type BatchItem } from 'kextbridge';
import { Backoff, bindService, loadSchema, typedServices } from '@kextbridge/protocol';

import type { ExportConfig } from './config';
import { loadCursor, saveCursor, writeAtomically, type Cursor } from './cursor';
import { eventPublication, lossPublication, type Publication, type Source } from './envelope';
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

interface Pending {
  pub: Publication;
  // Where the cursor stands once this one is acknowledged.
  epoch: string;
  seq: number;
  state: 'sent' | 'stored' | 'duplicate' | 'failed';
  // Its ack comes to <inbox>.<token>.
  token: number;
  sentAt: number;
}

// An ack later than this fails the publish, which is then sent again.
const ACK_TIMEOUT_MS = 5000;
// The daemon's queue for this subscription, in events: the most it
// allows (limits.subscriberQueueMax), so that a burst, or a moment of
// NATS being slow, is held rather than dropped (and told as lost).
const QUEUE_LIMIT = 65_536;

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((res) => {
    const t = setTimeout(res, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      res();
    }, { once: true });
  });

export class Exporter {
  readonly #c: ExportConfig;
  readonly #log: Logger;
  #cursor: Cursor | null = null;
  #saved = '';
  #epoch = '';
  #pending: Pending[] = [];
  #nc: NatsConnection | undefined;
  // Publishes are core NATS publishes with a reply subject of ours, where
  // JetStream sends its ack: one subscription and one timer for the whole
  // window, not a promise and a timer per message (js.publish), which
  // cost a tenth of the throughput at these rates.
  #inbox = '';
  #nextToken = 1;
  readonly #byToken = new Map<number, Pending>();
  #daemon: KextBridgeClient | undefined;
  #lastSeq = -1;
  readonly #counts = { published: 0, duplicates: 0, lossRecords: 0 };
  readonly #retry = new Backoff(250, 5000);
  #retryScheduled = false;
  // Resolved when the window has room again (or everything is settled).
  #room: (() => void) | null = null;

  constructor(config: ExportConfig, log: Logger) {
    this.#c = config;
    this.#log = log;
  }

  status(): ExportStatus {
    const lag = this.#cursor && this.#lastSeq >= 0 && this.#cursor.epoch === this.#epoch ? Math.max(0, this.#lastSeq - this.#cursor.seq) : -1;
    return { cursor: this.#cursor, lag, ...this.#counts, inFlight: this.#pending.length, natsConnected: this.#nc !== undefined && !this.#nc.isClosed() };
  }

  async run(signal: AbortSignal): Promise<void> {
    const c = this.#c;
    this.#cursor = loadCursor(c.cursorFile);
    this.#log.info({ cursor: this.#cursor, stream: c.stream, servers: c.servers }, this.#cursor ? 'resuming from the saved cursor' : 'no cursor: starting from the oldest event the daemon keeps');
    const nc = (this.#nc = await connect({ servers: c.servers, name: `kextbridge-export ${c.host}`, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 500, waitOnFirstConnect: true }));
    void (async () => {
      for await (const s of nc.status()) this.#log.info({ nats: s.type, data: String(s.data) }, 'NATS connection');
    })();
    await this.#ensureStream(nc);
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
        for (const item of batch) await this.#take(item, source, topicNames, types, signal);
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
    this.#epoch = epoch;
  }

  async #ensureStream(nc: NatsConnection): Promise<void> {
    const c = this.#c;
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(c.stream).catch((err: Error) => {
      if (/not found/i.test(err.message)) return null;
      throw err;
    });
    if (!info) {
      await jsm.streams.add({ name: c.stream, subjects: ['kextbridge.>'], num_replicas: c.replicas, duplicate_window: nanos(c.duplicateWindowMs), storage: StorageType.File, retention: RetentionPolicy.Limits });
      this.#log.info({ stream: c.stream, replicas: c.replicas }, 'created the JetStream stream');
      return;
    }
    const covers = info.config.subjects?.some((s) => s === 'kextbridge.>' || s === `kextbridge.${c.host}.>`) ?? false;
    if (!covers) throw new Error(`stream ${c.stream} does not take subjects kextbridge.${c.host}.>: its subjects are ${JSON.stringify(info.config.subjects)}; name another --stream or add the subject`);
    if (info.config.num_replicas !== c.replicas) throw new Error(`stream ${c.stream} has ${info.config.num_replicas} replicas, the config asks for ${c.replicas}; change replicas or the stream`);
  }

  // The kext's identity and the topics' names and payload types.
  async #describe(daemon: KextBridgeClient, signal: AbortSignal): Promise<{ source: Source; topicNames: Map<number, string>; types: Map<string, string> }> {
    const backoff = new Backoff(200, 5000);
    for (;;) {
      try {
        const d = await daemon.describe();
        const types = new Map<string, string>();
        if (this.#c.protoFiles.length > 0) {
          for (const service of typedServices(loadSchema(this.#c.protoFiles))) {
            for (const b of bindService(service).bindings) if (b.kind === 'topic') types.set(b.name, b.response.fullName.replace(/^\./, ''));
          }
        }
        return { source: { host: this.#c.host, kext: d.kextIdentity }, topicNames: new Map(d.topics.map((t) => [t.id, t.name])), types };
      } catch (err) {
        if (signal.aborted) throw err;
        this.#log.warn({ err: KextBridgeError.from(err).message }, 'the daemon does not answer Describe yet; retrying');
        await sleep(backoff.next(), signal);
      }
    }
  }

  async #take(item: BatchItem, source: Source, topicNames: Map<number, string>, types: Map<string, string>, signal: AbortSignal): Promise<void> {
    if (item.event) {
      const e = item.event;
      const topic = topicNames.get(e.topic) ?? String(e.topic);
      const seq = Number(e.seq);
      await this.#publish(eventPublication(source, { epoch: this.#epoch, seq, timeNs: e.timeNs, topic, type: types.get(topic), payload: e.payload }), this.#epoch, seq, signal);
    } else if (item.lost) {
      const l = item.lost;
      const count = Number(l.count);
      const last = Number(l.lastSeq);
      this.#counts.lossRecords++;
      this.#log.warn({ lost: l }, 'events the stream will not have; a loss record says so');
      const at = count > 0 ? last : (this.#cursor?.epoch === this.#epoch ? this.#cursor.seq : 0);
      await this.#publish(lossPublication(source, { epoch: this.#epoch, count, firstSeq: Number(l.firstSeq), lastSeq: last, source: String(l.source), detail: l.detail ?? '' }), this.#epoch, at, signal);
    }
  }

  async #publish(pub: Publication, epoch: string, seq: number, signal: AbortSignal): Promise<void> {
    const p: Pending = { pub, epoch, seq, state: 'sent', token: 0, sentAt: 0 };
    this.#pending.push(p);
    this.#send(p);
    while (this.#pending.length >= this.#c.maxInFlight && !signal.aborted) await this.#waitForRoom();
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

  #send(p: Pending): void {
    p.state = 'sent';
    p.token = this.#nextToken++;
    p.sentAt = performance.now();
    this.#byToken.set(p.token, p);
    p.pub.headers.set('Nats-Msg-Id', p.pub.msgID);
    this.#nc!.publish(p.pub.subject, p.pub.data, { reply: `${this.#inbox}.${p.token}`, headers: p.pub.headers });
  }

  // JetStream's answer: {"stream":..., "seq":..., "duplicate": true?} or
  // {"error": {...}}; a 503 status (no stream answered) fails it too.
  #onAck(msg: Msg): void {
    const token = Number(msg.subject.slice(this.#inbox.length + 1));
    const p = this.#byToken.get(token);
    if (!p) return;
    this.#byToken.delete(token);
    const text = msg.data.length > 0 ? Buffer.from(msg.data).toString() : '';
    if (msg.headers?.hasError || text === '' || text.includes('"error"')) {
      this.#fail(p, msg.headers?.hasError ? `${msg.headers.code} ${msg.headers.description}` : text || 'an empty answer');
    } else {
      p.state = /"duplicate":\s*true/.test(text) ? 'duplicate' : 'stored';
    }
    this.#advance();
  }

  #expire(): void {
    const now = performance.now();
    let expired = false;
    for (const p of this.#pending) {
      if (p.state !== 'sent' || now - p.sentAt < ACK_TIMEOUT_MS) continue;
      this.#byToken.delete(p.token);
      this.#fail(p, `no ack within ${ACK_TIMEOUT_MS} ms`);
      expired = true;
    }
    if (expired) this.#advance();
  }

  #fail(p: Pending, why: string): void {
    p.state = 'failed';
    if (!this.#retryScheduled) this.#log.warn({ err: why, msgID: p.pub.msgID }, 'publish not acknowledged; sending again');
  }

  // Settles acknowledged publishes from the oldest on, in order, moving
  // the cursor past each; when the oldest failed (NATS away, a timeout),
  // every failed one is sent again, same ids, after a backoff.
  #advance(): void {
    while (this.#pending.length > 0) {
      const head = this.#pending[0]!;
      if (head.state === 'stored') this.#counts.published++;
      else if (head.state === 'duplicate') this.#counts.duplicates++;
      else break;
      this.#pending.shift();
      this.#cursor = { epoch: head.epoch, seq: head.seq };
      this.#retry.reset();
    }
    const head = this.#pending[0];
    if (head?.state === 'failed' && !this.#retryScheduled) {
      this.#retryScheduled = true;
      setTimeout(() => {
        this.#retryScheduled = false;
        for (const p of this.#pending) if (p.state === 'failed') this.#send(p);
      }, this.#retry.next());
    }
    if (this.#pending.length < this.#c.maxInFlight) this.#wakeRoom();
  }

  async #drain(graceMs: number): Promise<void> {
    const giveUp = new AbortController();
    const timer = setTimeout(() => giveUp.abort(), graceMs);
    giveUp.signal.addEventListener('abort', () => this.#wakeRoom(), { once: true });
    while (this.#pending.length > 0 && !giveUp.signal.aborted) await this.#waitForRoom();
    clearTimeout(timer);
    if (this.#pending.length > 0) this.#log.warn({ unacknowledged: this.#pending.length }, 'stopping with publishes unacknowledged; the next run sends them again from the cursor');
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

export function statusFile(cursorFile: string): string {
  return `${cursorFile}.status.json`;
}
