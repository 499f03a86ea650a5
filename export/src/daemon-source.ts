// The daemon's side of the export: its Describe (the kext's identity and
// the topics' names), the .proto types of the topics, and the batches of
// the subscription from the cursor on, each item made into what goes into
// the stream (envelope.ts).
import { KextBridgeClient, KextBridgeError, type BatchItem } from 'kextbridge';
import { Backoff, bindService, loadSchema, typedServices } from '@kextbridge/protocol';

import type { Cursor } from './cursor';
import { lossPublication, TopicEnvelope, type Publication, type Source } from './envelope';
import type { Logger } from './log';
import { untilAnswered } from './retry';

// The daemon's queue for this subscription, in events: the most it allows
// (limits.subscriberQueueMax), so that a burst, or a moment of NATS being
// slow, is held rather than dropped (and told as lost).
const QUEUE_LIMIT = 65_536;

export interface SourceOptions {
  socket: string;
  host: string;
  topics: string[];
  protoFiles: string[];
  log: Logger;
}

// An item as it goes out: its publication, and where it puts the cursor.
export interface Outgoing {
  pub: Publication;
  epoch: string;
  seq: number;
}

export class DaemonSource {
  readonly #options: SourceOptions;
  readonly #client: KextBridgeClient;
  #source: Source | undefined;
  #topicNames = new Map<number, string>();
  readonly #types = new Map<string, string>();
  #epoch = '';
  // By topic id, for the current epoch.
  readonly #envelopes = new Map<number, TopicEnvelope>();

  constructor(o: SourceOptions) {
    this.#options = o;
    this.#client = new KextBridgeClient({ socket: o.socket });
  }

  get epoch(): string {
    return this.#epoch;
  }

  async describe(signal: AbortSignal): Promise<void> {
    const d = await untilAnswered(() => this.#client.describe(), (err) => ({ msg: 'the daemon does not answer Describe yet; retrying', fields: { err: KextBridgeError.from(err).message } }), new Backoff(200, 5000), this.#options.log, signal);
    if (this.#options.protoFiles.length > 0) {
      for (const service of typedServices(loadSchema(this.#options.protoFiles))) {
        for (const b of bindService(service).bindings) if (b.kind === 'topic') this.#types.set(b.name, b.response.fullName.replace(/^\./, ''));
      }
    }
    this.#source = { host: this.#options.host, kext: d.kextIdentity };
    this.#topicNames = new Map(d.topics.map((t) => [t.id, t.name]));
  }

  batches(cursor: Readonly<Cursor> | null, signal: AbortSignal): AsyncIterable<BatchItem[]> {
    const since = cursor ? { sinceSeq: cursor.seq + 1, sinceEpoch: cursor.epoch } : {};
    return this.#client.subscribeBatches({ topics: this.#options.topics, signal, queueLimit: QUEUE_LIMIT, onEpoch: (e) => this.#onEpoch(e), ...since });
  }

  // The daemon's last seq (for the lag), -1 when it does not answer.
  async lastSeq(): Promise<number> {
    try {
      const s = await this.#client.status();
      return Number(s.counters?.lastSeq ?? -1);
    } catch {
      return -1;
    }
  }

  // An event's publication; its seq and time come as the daemon's decimal
  // strings (the batch decoder makes them without BigInt), as they go into
  // headers and ids.
  event(e: NonNullable<BatchItem['event']>): Publication {
    let envelope = this.#envelopes.get(e.topic);
    if (!envelope) {
      const topic = this.#topicNames.get(e.topic) ?? String(e.topic);
      envelope = new TopicEnvelope(this.#source!, this.#epoch, topic, this.#types.get(topic));
      this.#envelopes.set(e.topic, envelope);
    }
    return envelope.event(e.seq, e.timeNs, e.payload);
  }

  // A loss record. One the daemon could not size (a restart since the
  // cursor) puts the cursor at `cursorSeq` when it is of this epoch.
  loss(l: NonNullable<BatchItem['lost']>, cursor: Readonly<Cursor> | null): Outgoing {
    const count = Number(l.count);
    const last = Number(l.lastSeq);
    const at = count > 0 ? last : cursor?.epoch === this.#epoch ? cursor.seq : 0;
    const pub = lossPublication(this.#source!, { epoch: this.#epoch, count, firstSeq: Number(l.firstSeq), lastSeq: last, source: String(l.source), detail: l.detail });
    return { pub, epoch: this.#epoch, seq: at };
  }

  // The message id an event will have (made only while a read-back's finds
  // are being replayed).
  eventId(e: NonNullable<BatchItem['event']>): string {
    return `${this.#options.host}/${this.#epoch}/${e.seq}`;
  }

  close(): void {
    this.#client.close();
  }

  #onEpoch(epoch: string): void {
    if (this.#epoch && epoch !== this.#epoch) this.#options.log.warn({ from: this.#epoch, to: epoch }, 'the daemon restarted (new epoch)');
    if (epoch !== this.#epoch) this.#envelopes.clear();
    this.#epoch = epoch;
  }
}
