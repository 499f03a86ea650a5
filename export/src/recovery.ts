// Exactly once past JetStream's duplicate window. A message id protects a
// replay only while the stream remembers it (duplicate_window, 2 minutes
// by default); a machine that sleeps, reboots or loses NATS for longer
// sends again what was stored but not yet in its saved cursor, or stored
// while its ack was lost. So before anything is sent again (at start, and
// before every resend after a failure or a reconnect) the exporter reads
// back what this host stored in the stream from a known stream sequence
// on, and skips what is there.
//
// The read-back is an ephemeral consumer of its own: this host's subjects
// only, headers only, no acks, from the stream sequence the cursor (or the
// oldest failed publish) names, up to the stream's end when it starts. Its
// cost is the messages of this host's past that point: what was in doubt
// (the acks not yet saved, the window in flight), not the stream's size.
import { AckPolicy, DeliverPolicy, nanos, type ConsumerConfig, type NatsConnection } from 'nats';

export type ReadFrom = { afterStreamSeq: number } | { sinceTime: Date };

// Message ids of this host's messages found, with their stream sequences.
export type Found = Map<string, number>;

const FETCH_MAX = 1000;
const FETCH_EXPIRES_MS = 5000;

export async function readBack(nc: NatsConnection, stream: string, host: string, from: ReadFrom): Promise<Found> {
  const jsm = await nc.jetstreamManager();
  const start: Partial<ConsumerConfig> =
    'afterStreamSeq' in from
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from.afterStreamSeq + 1 }
      : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: from.sinceTime.toISOString() };
  const info = await jsm.consumers.add(stream, {
    ...start,
    ack_policy: AckPolicy.None,
    filter_subject: `kextbridge.${host}.>`,
    headers_only: true,
    mem_storage: true,
    // Gone on its own if this process is not there to delete it.
    inactive_threshold: nanos(30_000),
  });
  const found: Found = new Map();
  try {
    const consumer = await nc.jetstream().consumers.get(stream, info.name);
    let pending = info.num_pending;
    while (pending > 0) {
      let got = 0;
      for await (const m of await consumer.fetch({ max_messages: Math.min(pending, FETCH_MAX), expires: FETCH_EXPIRES_MS })) {
        const id = m.headers?.get('Nats-Msg-Id');
        if (id) found.set(id, m.seq);
        pending = m.info.pending;
        got++;
      }
      if (got === 0) throw new Error(`reading back stream ${stream} for ${host}: no message came with ${pending} pending`);
    }
  } finally {
    await jsm.consumers.delete(stream, info.name).catch(() => undefined);
  }
  return found;
}

// What a start-up read-back found past the cursor, as the daemon replays
// it: each event (or loss record) found is skipped rather than sent, in
// its turn. The daemon replays one epoch in seq order, and an item of a
// newer epoch means the older never comes again; so once the replay is past
// the last seq found of its epoch, nothing is in doubt any more and no id
// is made per event.
export class InDoubt {
  readonly #byEpoch = new Map<string, { ids: Map<string, number>; lastSeq: number }>();

  constructor(found: Found, host: string) {
    for (const [id, at] of found) {
      // <host>/<epoch>/<seq>, or <host>/<epoch>/lost/<first>-<last> | unsized.
      const [h, epoch, rest, range] = id.split('/');
      if (h !== host || epoch === undefined || rest === undefined) continue;
      const seq = rest === 'lost' ? Number(range?.split('-')[1] ?? 0) : Number(rest);
      const e = this.#byEpoch.get(epoch) ?? { ids: new Map<string, number>(), lastSeq: 0 };
      e.ids.set(id, at);
      if (Number.isSafeInteger(seq) && seq > e.lastSeq) e.lastSeq = seq;
      this.#byEpoch.set(epoch, e);
    }
  }

  get active(): boolean {
    return this.#byEpoch.size > 0;
  }

  get size(): number {
    let n = 0;
    for (const e of this.#byEpoch.values()) n += e.ids.size;
    return n;
  }

  // The stream sequence the message with this id (an item at `seq` of
  // `epoch`) is stored at, or -1.
  storedAt(id: string, epoch: string, seq: number): number {
    for (const other of this.#byEpoch.keys()) if (other !== epoch) this.#byEpoch.delete(other);
    const e = this.#byEpoch.get(epoch);
    if (!e) return -1;
    const at = e.ids.get(id) ?? -1;
    if (at >= 0) e.ids.delete(id);
    if (seq >= e.lastSeq || e.ids.size === 0) this.#byEpoch.delete(epoch);
    return at;
  }
}
