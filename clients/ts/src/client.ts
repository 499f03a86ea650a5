// A client of kextbridged: promises for unary calls, async iterators for
// streams (a subscription reconnects with backoff and resumes from the last
// seq it saw), the typed stub of kextbridge.v1, the kext's typed API as the
// daemon serves it (kextTypes()), and stubs of a kext's own typed API from
// its .proto (service()) for everything else.
import { dirname, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';

import { Backoff, PROTO_ROOT, sleep, type MethodBinding } from '@kextbridge/protocol';

import { api, LOADER_OPTIONS } from './api';
import { KextBridgeError, isTransient } from './errors';
import { decodeBatch, numericItems, type Longs, type NumericItem } from './event-batch';
import { KextTypes, overrideTypes, servedBindings } from './kext-types';
import { readServedDescriptors } from './served-descriptors';
import { defaultSocketPath } from './socket';
import type { BridgeClient } from './generated/kextbridge/v1/Bridge';
import type { BatchItem__Output } from './generated/kextbridge/v1/BatchItem';
import type { DescribeResponse__Output } from './generated/kextbridge/v1/DescribeResponse';
import type { OptionValue__Output } from './generated/kextbridge/v1/OptionValue';
import type { OverflowPolicy } from './generated/kextbridge/v1/OverflowPolicy';
import type { Status__Output } from './generated/kextbridge/v1/Status';
import type { Subscriber__Output } from './generated/kextbridge/v1/Subscriber';
import type { Target } from './generated/kextbridge/v1/Target';
import type { UpcallQuestion__Output } from './generated/kextbridge/v1/UpcallQuestion';

export interface ClientOptions {
  // Default: $KEXTBRIDGE_SOCKET, else the platform's daemon socket.
  socket?: string;
  // Deadline of unary calls (ms); default 10 s.
  deadlineMs?: number;
  // HTTP/2 flow-control window of this client's connection, in bytes;
  // default 1 MiB (HTTP/2's own 64 KiB caps an event stream well below
  // what the daemon can send).
  flowControlWindow?: number;
}

export const DEFAULT_FLOW_CONTROL_WINDOW = 1024 * 1024;

export interface SubscribeOptions {
  topics: Array<string | number>;
  // Resume from this seq (events still in the daemon's ring); 0 = live.
  sinceSeq?: number;
  // The epoch sinceSeq is from (onEpoch's argument): lets the daemon say
  // exactly what it cannot replay when it has restarted since.
  sinceEpoch?: string;
  // Called with the daemon's epoch when each stream (re)starts.
  onEpoch?: (epoch: string) => void;
  overflow?: OverflowPolicy;
  maxBatch?: number;
  queueLimit?: number;
  payloadPrefix?: Uint8Array;
  // Reconnect (and resume) when the daemon goes away; default true.
  reconnect?: boolean;
  signal?: AbortSignal;
}

export interface UpcallAnswer {
  // 0 (OK): payload is the answer; anything else: the kext's default.
  status?: number;
  payload?: Uint8Array;
}

export type UpcallHandler = (question: UpcallQuestion__Output) => UpcallAnswer | Promise<UpcallAnswer>;

export type OptionInput = boolean | bigint | number | string | Uint8Array;

export interface KextTypesOptions {
  // Local .proto files to use instead of what the daemon serves (they are
  // still compared with it: see KextTypes.disagreements).
  protoFiles?: readonly string[];
  includeDirs?: readonly string[];
  // Read the daemon's types again even if its epoch and kext are the same
  // (after a SIGHUP that changed its .proto files).
  refresh?: boolean;
}

interface ServedTypes {
  // Daemon epoch, kext identity and version: what the types were read under.
  key: string;
  bindings: MethodBinding[] | undefined;
  unavailable: string;
}

type HealthClient = grpc.Client & {
  Check(req: { service: string }, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: { status: string }) => void): void;
};

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;

// A catalog item by name, or by id when given a number or a numeric string.
export function target(t: string | number): Target {
  return typeof t === 'number' || /^\d+$/.test(t) ? { id: Number(t) } : { name: t };
}

export class KextBridgeClient {
  readonly socket: string;
  readonly bridge: BridgeClient;
  readonly #health: HealthClient;
  readonly #deadlineMs: number;
  readonly #address: string;
  #served: ServedTypes | undefined;

  constructor(options: ClientOptions = {}) {
    this.socket = options.socket ?? defaultSocketPath();
    this.#deadlineMs = options.deadlineMs ?? 10_000;
    const address = (this.#address = `unix://${this.socket}`);
    const credentials = grpc.credentials.createInsecure();
    const p = api();
    // A connection of its own (grpc-js otherwise shares one per target
    // across clients, so one client's flow control would hold up another's).
    const window = options.flowControlWindow ?? DEFAULT_FLOW_CONTROL_WINDOW;
    this.bridge = new p.kextbridge.v1.Bridge(address, credentials, { 'grpc.use_local_subchannel_pool': 1, 'grpc-node.flow_control_window': window });
    // One channel for every stub.
    const channel = { channelOverride: this.bridge.getChannel() };
    const healthDef = protoLoader.loadSync(healthProtoPath, LOADER_OPTIONS);
    const health = grpc.loadPackageDefinition(healthDef) as unknown as { grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } } };
    this.#health = new health.grpc.health.v1.Health(address, credentials, channel) as unknown as HealthClient;
  }

  // A stub of one service of a kext's typed API, on this client's
  // connection: `service<ExampleClient>('example.proto',
  // 'kextbridge.example.v1.Example')`. Its imports resolve against the
  // file's own directory, then the bridge protos (kextbridge/v1/options.proto).
  service<T extends grpc.Client = grpc.Client>(protoFile: string, serviceName: string, includeDirs: readonly string[] = []): T {
    const file = resolve(protoFile);
    const definition = grpc.loadPackageDefinition(protoLoader.loadSync(file, { ...LOADER_OPTIONS, includeDirs: [dirname(file), ...includeDirs, PROTO_ROOT] }));
    let node: unknown = definition;
    for (const part of serviceName.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
    if (typeof node !== 'function' || !('service' in node)) {
      throw new KextBridgeError(grpc.status.NOT_FOUND, `${protoFile} has no service ${serviceName}`);
    }
    const Service = node as grpc.ServiceClientConstructor;
    return new Service(this.#address, grpc.credentials.createInsecure(), { channelOverride: this.bridge.getChannel() }) as unknown as T;
  }

  // The kext's typed API: read from the daemon through reflection (no
  // .proto needed) and kept until the daemon's epoch or the kext's
  // identity or version changes; or, with protoFiles, from those files,
  // with every field where they disagree with the daemon listed.
  async kextTypes(o: KextTypesOptions = {}): Promise<KextTypes> {
    const key = await this.#typesKey();
    if (o.refresh || this.#served?.key !== key) this.#served = await this.#readServedTypes(key);
    const { bindings, unavailable } = this.#served;
    if (o.protoFiles && o.protoFiles.length > 0) return overrideTypes(o.protoFiles, o.includeDirs ?? [], bindings, unavailable);
    return new KextTypes({ from: 'daemon', protoFiles: [] }, bindings ?? [], [], unavailable);
  }

  async #typesKey(): Promise<string> {
    // Describe needs the kext link; without it the key says "no kext", and
    // the types are read again once a kext is there.
    const [status, described] = await Promise.all([this.status(), this.describe().catch(() => undefined)]);
    return `${status.epoch} ${described?.kextIdentity ?? ''} ${described?.kextVersion ?? ''}`;
  }

  async #readServedTypes(key: string): Promise<ServedTypes> {
    try {
      const served = await readServedDescriptors(this.bridge, this.options());
      return { key, bindings: servedBindings(served.files), unavailable: '' };
    } catch (err) {
      const e = KextBridgeError.from(err);
      if (isTransient(e)) throw e;
      return { key, bindings: undefined, unavailable: `the daemon's typed API could not be read (${e.message})` };
    }
  }

  // Call options with the default deadline.
  options(deadlineMs = this.#deadlineMs): grpc.CallOptions {
    return { deadline: Date.now() + deadlineMs };
  }

  #unary<Req, Res>(method: (req: Req, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown, req: Req, deadlineMs?: number): Promise<Res> {
    return new Promise((resolve, reject) => {
      method.call(this.bridge, req, this.options(deadlineMs), (err, res) => (err ? reject(KextBridgeError.from(err)) : resolve(res as Res)));
    });
  }

  describe(): Promise<DescribeResponse__Output> {
    return this.#unary(this.bridge.Describe as never, {});
  }

  status(): Promise<Status__Output> {
    return this.#unary(this.bridge.GetStatus as never, {});
  }

  // grpc.health.v1 status of a service ('' = the daemon as a whole).
  health(service = ''): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#health.Check({ service }, this.options(), (err, res) => (err ? reject(KextBridgeError.from(err)) : resolve(res!.status)));
    });
  }

  async call(command: string | number, payload: Uint8Array = new Uint8Array(0), deadlineMs?: number): Promise<Buffer> {
    const r = await this.#unary<unknown, { payload: Buffer }>(this.bridge.Call as never, { command: target(command), payload: Buffer.from(payload) }, deadlineMs);
    return r.payload;
  }

  getOption(option: string | number): Promise<OptionValue__Output> {
    return this.#unary(this.bridge.GetOption as never, { option: target(option) });
  }

  setOption(option: string | number, value: OptionInput): Promise<OptionValue__Output> {
    const v =
      typeof value === 'boolean'
        ? { boolValue: value }
        : typeof value === 'bigint' || typeof value === 'number'
          ? { int64Value: value.toString() }
          : typeof value === 'string'
            ? { stringValue: value }
            : { bytesValue: Buffer.from(value) };
    return this.#unary(this.bridge.SetOption as never, { option: target(option), value: v });
  }

  async listSubscribers(): Promise<Subscriber__Output[]> {
    const r = await this.#unary<unknown, { subscribers: Subscriber__Output[] }>(this.bridge.ListSubscribers as never, {});
    return r.subscribers;
  }

  // The status now, then on every link change and (intervalMs > 0) counter change.
  async *watchStatus(intervalMs = 0, signal?: AbortSignal): AsyncGenerator<Status__Output> {
    const call = this.bridge.WatchStatus({ intervalMs });
    const stop = (): void => call.cancel();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      for await (const s of call as AsyncIterable<Status__Output>) yield s;
    } catch (err) {
      if (!signal?.aborted) throw KextBridgeError.from(err);
    } finally {
      signal?.removeEventListener('abort', stop);
      call.cancel();
    }
  }

  // Every item of every batch: events, Lost (loss told in-band) and link
  // changes. While the daemon is unreachable it yields a link item saying
  // so, retries with backoff, and resumes after the last seq it yielded;
  // events that fell out of the daemon's ring meanwhile arrive as Lost.
  async *subscribe(o: SubscribeOptions): AsyncGenerator<BatchItem__Output> {
    for await (const items of this.subscribeBatches(o)) yield* items;
  }

  // The same items a batch at a time, as the daemon sent them: one step of
  // the iterator per batch instead of per item, for consumers of high
  // event rates. A reconnect notice comes as a batch of its own.
  subscribeBatches(o: SubscribeOptions): AsyncGenerator<BatchItem__Output[]> {
    return this.#batches(o, 'string');
  }

  // subscribeBatches with seqs and counts as numbers and time_ns as a
  // bigint: no decimal strings to make, or to parse back.
  subscribeNumeric(o: SubscribeOptions): AsyncGenerator<NumericItem[]> {
    return this.#batches(o, 'number');
  }

  #batches(o: SubscribeOptions, longs: 'string'): AsyncGenerator<BatchItem__Output[]>;
  #batches(o: SubscribeOptions, longs: 'number'): AsyncGenerator<NumericItem[]>;
  async *#batches(o: SubscribeOptions, longs: Longs): AsyncGenerator<BatchItem__Output[] | NumericItem[]> {
    // Through grpc-js directly, so that batches take the fast decoder and
    // only what it declines proto-loader's.
    const method = api().kextbridge.v1.Bridge.service.Subscribe;
    const decode = (bytes: Buffer): { items: BatchItem__Output[] | NumericItem[]; epoch: string } => {
      const fast = decodeBatch(bytes, longs);
      if (fast) return fast;
      const slow = method.responseDeserialize(bytes) as { items: BatchItem__Output[]; epoch: string };
      return longs === 'number' ? { items: numericItems(slow.items), epoch: slow.epoch } : slow;
    };
    let since = o.sinceSeq ?? 0;
    let epoch = o.sinceEpoch ?? '0';
    const backoff = new Backoff(RECONNECT_MIN_MS, RECONNECT_MAX_MS);
    for (;;) {
      const call = this.bridge.makeServerStreamRequest(method.path, method.requestSerialize, decode, {
        topics: o.topics.map(target),
        sinceSeq: String(since),
        sinceEpoch: since > 0 ? epoch : '0',
        overflow: o.overflow ?? 'OVERFLOW_POLICY_DROP_OLDEST',
        maxBatch: o.maxBatch ?? 0,
        queueLimit: o.queueLimit ?? 0,
        payloadPrefix: Buffer.from(o.payloadPrefix ?? new Uint8Array(0)),
      });
      const stop = (): void => call.cancel();
      o.signal?.addEventListener('abort', stop, { once: true });
      try {
        for await (const batch of call as AsyncIterable<{ items: (BatchItem__Output | NumericItem)[]; epoch: string }>) {
          backoff.reset();
          if (batch.epoch !== '0') {
            epoch = batch.epoch;
            o.onEpoch?.(epoch);
          }
          const items = batch.items;
          if (items.length === 0) continue;
          // The last event or Lost of a batch sets the resume point.
          for (let i = items.length - 1; i >= 0; i--) {
            const item = items[i]!;
            if (item.item === 'event') since = Number(item.event!.seq) + 1;
            else if (item.item === 'lost' && Number(item.lost!.count) > 0) since = Math.max(since, Number(item.lost!.lastSeq) + 1);
            else continue;
            break;
          }
          yield items as BatchItem__Output[];
        }
        return;
      } catch (err) {
        if (o.signal?.aborted) return;
        const e = KextBridgeError.from(err);
        if (o.reconnect === false || !isTransient(e)) throw e;
        const notice = { item: 'link' as const, link: { state: 'LINK_STATE_CONNECTING' as const, detail: `daemon unreachable (${e.details}); reconnecting` } };
        yield [notice];
        await sleep(backoff.next(), o.signal);
        if (o.signal?.aborted) return;
      } finally {
        o.signal?.removeEventListener('abort', stop);
        call.cancel();
      }
    }
  }

  // Registers as a handler of an upcall and answers each question with
  // handler's answer (a throw answers "apply your default"). Resolves when
  // signal aborts or the daemon ends the stream; rejects with its status.
  serve(upcall: string | number, handler: UpcallHandler, signal?: AbortSignal): Promise<void> {
    const call = this.bridge.Serve();
    call.write({ register: { upcall: target(upcall) } });
    call.on('data', (q: UpcallQuestion__Output) => {
      void Promise.resolve()
        .then(() => handler(q))
        .then(
          (a) => call.write({ answer: { id: q.id, status: a.status ?? 0, payload: Buffer.from(a.payload ?? new Uint8Array(0)) } }),
          () => call.write({ answer: { id: q.id, status: grpc.status.INTERNAL } }),
        );
    });
    return new Promise<void>((resolve, reject) => {
      const stop = (): void => {
        call.end();
        call.cancel();
      };
      signal?.addEventListener('abort', stop, { once: true });
      call.on('error', (err) => (signal?.aborted ? resolve() : reject(KextBridgeError.from(err))));
      call.on('end', () => resolve());
    });
  }

  close(): void {
    this.bridge.close();
  }
}
