// The export, wired from its parts: the NATS connection and the stream
// (jetstream.ts), the start-up read-back of what this host stored past the
// cursor (recovery.ts), the daemon's batches (daemon-source.ts), the
// publisher with its window (publisher.ts), the cursor (cursor.ts) and the
// status (status.ts).
import { statSync } from 'node:fs';
import { connect, ErrorCode, NatsError, type NatsConnection } from 'nats';
import type { BatchItem } from 'kextbridge';
import { Backoff } from '@kextbridge/protocol';

import type { ExportConfig } from './config';
import { CursorStore, type Cursor } from './cursor';
import { DaemonSource } from './daemon-source';
import { ensureStream } from './jetstream';
import type { Logger } from './log';
import { ExportMetrics } from './metrics';
import { Publisher } from './publisher';
import { InDoubt, readBack, type Found, type ReadFrom } from './recovery';
import { untilAnswered, type Passing } from './retry';
import { StatusReporter, type ExportStatus } from './status';

// How often the cursor is saved.
const SAVE_INTERVAL_MS = 200;
// A cursor saved before it kept a stream sequence is read back from this
// long before it was last written.
const LEGACY_CURSOR_MARGIN_MS = 5 * 60_000;

// A cluster just started, or electing a leader, does not answer the
// JetStream API for some seconds.
const jetStreamStarting =
  (what: string, fields: object): Passing =>
  (err) =>
    err instanceof NatsError && (err.code === ErrorCode.Timeout || err.code === ErrorCode.NoResponders) ? { msg: `JetStream does not answer yet (starting, or electing a leader); retrying ${what}`, fields: { err: err.message, ...fields } } : null;

export async function runExport(c: ExportConfig, log: Logger, signal: AbortSignal): Promise<ExportStatus> {
  const cursor = new CursorStore(c.cursorFile);
  log.info({ cursor: cursor.current, stream: c.stream, servers: c.servers }, cursor.current ? 'resuming from the saved cursor' : 'no cursor: starting from the oldest event the daemon keeps');
  const nc = await connect({ servers: c.servers, name: `kextbridge-export ${c.host}`, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 500, waitOnFirstConnect: true });
  let publisher: Publisher | undefined;
  void (async () => {
    for await (const s of nc.status()) {
      log.info({ nats: s.type, data: String(s.data) }, 'NATS connection');
      if (s.type === 'disconnect') publisher?.disconnected();
      if (s.type === 'reconnect') publisher?.reconnected();
    }
  })();
  const stream = await untilAnswered(() => ensureStream(nc, c, log), jetStreamStarting('the stream check', { stream: c.stream }), new Backoff(250, 5000), log, signal);
  const inDoubt = await recoverAtStart(nc, c, cursor.current, log, signal);
  const counts = { lossRecords: 0 };
  let metrics: ExportMetrics | undefined;
  const pub = (publisher = new Publisher(nc, {
    onAckLatency: (seconds) => metrics?.ackLatency(seconds),
    maxInFlight: c.maxInFlight,
    streamLastSeq: stream.state.last_seq,
    readBack: (after) => readBack(nc, c.stream, c.host, { afterStreamSeq: after }),
    onSettled: (epoch, seq, streamSeq) => cursor.advance(epoch, seq, streamSeq),
    log,
  }));
  if (inDoubt) pub.hold(inDoubt.from);
  const source = new DaemonSource({ socket: c.socket, host: c.host, topics: c.topics, protoFiles: c.protoFiles, log });
  const saver = setInterval(() => cursor.save(), SAVE_INTERVAL_MS);
  const readStatus = async (): Promise<ExportStatus> => {
    const last = await source.lastSeq();
    const at = cursor.current;
    const lag = at && last >= 0 && at.epoch === source.epoch ? Math.max(0, last - at.seq) : -1;
    return { cursor: at ? { ...at } : null, lag, ...pub.counts, lossRecords: counts.lossRecords, inFlight: pub.inFlight, natsConnected: !nc.isClosed() && pub.connected };
  };
  const status = new StatusReporter(c.cursorFile, c.statusIntervalMs, log, readStatus);
  metrics = c.metricsListen !== '' ? new ExportMetrics(readStatus) : undefined;
  const endpoint = metrics ? await metrics.serve(c.metricsListen, log) : undefined;
  const stopWaiting = (): void => pub.wake();
  signal.addEventListener('abort', stopWaiting, { once: true });
  try {
    await source.describe(signal);
    const forward = new Forward(source, pub, cursor, inDoubt?.found, counts, log);
    for await (const batch of source.batches(cursor.current, signal)) {
      // A batch is published without yielding while the window has room:
      // nats.js writes to its socket once per turn of the event loop, so
      // an await per event was a write per event.
      for (const item of batch) {
        while (pub.full && !signal.aborted) await pub.waitForRoom();
        if (signal.aborted) break;
        forward.take(item);
      }
    }
    await pub.drain(10_000);
  } finally {
    signal.removeEventListener('abort', stopWaiting);
    clearInterval(saver);
    pub.close();
    cursor.save();
    source.close();
    await endpoint?.close();
    await nc.drain().catch(() => nc.close());
  }
  return status.stop();
}

// Each item of a batch: into the stream, or, when a start-up read-back
// found it there already, into the window as stored (never sent).
class Forward {
  readonly #source: DaemonSource;
  readonly #pub: Publisher;
  readonly #cursor: CursorStore;
  readonly #doubt: InDoubt | undefined;
  readonly #counts: { lossRecords: number };
  readonly #log: Logger;

  constructor(source: DaemonSource, pub: Publisher, cursor: CursorStore, doubt: InDoubt | undefined, counts: { lossRecords: number }, log: Logger) {
    this.#source = source;
    this.#pub = pub;
    this.#cursor = cursor;
    this.#doubt = doubt;
    this.#counts = counts;
    this.#log = log;
  }

  take(item: BatchItem): void {
    if (item.event) {
      if (this.#doubt?.active && this.#stored(this.#source.eventId(item.event), this.#source.epoch, Number(item.event.seq), Number(item.event.seq))) return;
      this.#pub.publish(this.#source.event(item.event), this.#source.epoch, Number(item.event.seq));
    } else if (item.lost) {
      const out = this.#source.loss(item.lost, this.#cursor.current);
      // An unsized loss (a restart) does not end the doubt about its epoch.
      if (this.#doubt?.active && this.#stored(out.pub.headers.get('Nats-Msg-Id'), out.epoch, out.seq, Number(item.lost.count) > 0 ? out.seq : 0)) return;
      this.#counts.lossRecords++;
      this.#log.warn({ lost: item.lost }, 'events the stream will not have; a loss record says so');
      this.#pub.publish(out.pub, out.epoch, out.seq);
    }
  }

  // Whether the read-back found the item (then it is in the window).
  #stored(id: string, epoch: string, seq: number, doubtSeq: number): boolean {
    const doubt = this.#doubt!;
    const at = doubt.storedAt(id, epoch, doubtSeq);
    if (!doubt.active) this.#pub.release();
    if (at < 0) return false;
    this.#pub.alreadyStored(epoch, seq, at);
    return true;
  }
}

// Before the daemon replays anything: this host's messages stored past the
// saved cursor's stream sequence (or, for a cursor saved before it kept
// one, since a while before it was written). No cursor, nothing in doubt.
async function recoverAtStart(nc: NatsConnection, c: ExportConfig, cursor: Readonly<Cursor> | null, log: Logger, signal: AbortSignal): Promise<{ found: InDoubt; from: number } | null> {
  if (!cursor) return null;
  const from: ReadFrom = cursor.streamSeq !== undefined ? { afterStreamSeq: cursor.streamSeq } : { sinceTime: new Date(cursorWritten(c.cursorFile) - LEGACY_CURSOR_MARGIN_MS) };
  const started = performance.now();
  const found: Found = await untilAnswered(() => readBack(nc, c.stream, c.host, from), jetStreamStarting('the read-back', { stream: c.stream }), new Backoff(250, 5000), log, signal);
  const inDoubt = new InDoubt(found, c.host);
  log.info({ from, found: found.size, ms: Math.round(performance.now() - started) }, 'read back what this host stored past the cursor: those are skipped, not sent again');
  // Until the replay is past what was found, the cursor's stream sequence
  // stays below all of it.
  return inDoubt.active ? { found: inDoubt, from: cursor.streamSeq ?? Math.min(...found.values()) - 1 } : null;
}

function cursorWritten(file: string): number {
  return statSync(file).mtimeMs;
}
