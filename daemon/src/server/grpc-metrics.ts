// gRPC's server metrics as gRFC A66 names them (grpc.server.call.started,
// .duration, .sent_total_compressed_message_size,
// .rcvd_total_compressed_message_size), in Prometheus form. grpc-js has no
// metrics plugin: an interceptor on every connection sees each call of a
// registered method start and end; a call to a method nobody serves never
// reaches an interceptor, so the server tells us of it (unknownMethod) and
// it is counted under grpc_method="other". Method labels are only ever the
// registered methods' names or "other": a client cannot add label values.
import * as grpc from '@grpc/grpc-js';
import { Counter, type Registry } from 'prom-client';
import { FixedHistogram, type HistogramSeries } from './fixed-histogram';

// A66's recommended boundaries.
const LATENCY_BUCKETS = [
  0, 0.00001, 0.00005, 0.0001, 0.0003, 0.0006, 0.0008, 0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.008, 0.01, 0.013, 0.016, 0.02, 0.025, 0.03, 0.04, 0.05, 0.065, 0.08, 0.1, 0.13,
  0.16, 0.2, 0.25, 0.3, 0.4, 0.5, 0.65, 0.8, 1, 2, 5, 10, 20, 50, 100,
];
const SIZE_BUCKETS = [0, 1024, 2048, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864, 268435456, 1073741824, 4294967296];

export const OTHER_METHOD = 'other';

const STATUS_NAME: string[] = [];
for (const [name, code] of Object.entries(grpc.status)) if (typeof code === 'number') STATUS_NAME[code] = name;
const statusName = (code: number): string => STATUS_NAME[code] ?? 'UNKNOWN';

// Sizes of messages as grpc-js serializes and parses them, filed for the
// interceptor: a serializer's output is read right after the call's
// sendMessage returns (serialization is synchronous there); a parsed
// request is looked up by the object it became.
let lastSerializedBytes = 0;
const parsedBytes = new WeakMap<object, number>();

// The same service with serializers that record their sizes.
export function measuredDefinition(definition: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const out: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, m] of Object.entries(definition as Record<string, grpc.MethodDefinition<unknown, unknown>>)) {
    const serialize = m.responseSerialize;
    const deserialize = m.requestDeserialize;
    out[name] = {
      ...m,
      responseSerialize: (value: unknown) => {
        const bytes = serialize(value);
        lastSerializedBytes = bytes.byteLength;
        return bytes;
      },
      requestDeserialize: (bytes: Buffer) => {
        const value = deserialize(bytes);
        if (typeof value === 'object' && value !== null) parsedBytes.set(value, bytes.byteLength);
        return value;
      },
    };
  }
  return out as grpc.ServiceDefinition;
}

function sizeOf(message: unknown): number {
  if (message instanceof Uint8Array) return message.byteLength;
  return typeof message === 'object' && message !== null ? (parsedBytes.get(message) ?? 0) : 0;
}

type Child = HistogramSeries;

export class GrpcServerMetrics {
  readonly #duration: FixedHistogram<'grpc_method' | 'grpc_status'>;
  readonly #sent: FixedHistogram<'grpc_method' | 'grpc_status'>;
  readonly #received: FixedHistogram<'grpc_method' | 'grpc_status'>;
  // Labelled children by method, then status code: no label string is
  // built per call.
  readonly #children = new Map<string, Array<[Child, Child, Child] | undefined>>();
  // Calls started by method, counted here and read by the counter at scrape time.
  readonly #startedBy = new Map<string, { n: number }>();

  constructor(registry: Registry) {
    const registers = [registry];
    const startedBy = this.#startedBy;
    new Counter({
      name: 'grpc_server_call_started_total',
      help: 'Calls started, by method (gRFC A66 grpc.server.call.started).',
      labelNames: ['grpc_method'],
      registers,
      collect() {
        this.reset();
        for (const [method, c] of startedBy) this.inc({ grpc_method: method }, c.n);
      },
    });
    this.#duration = new FixedHistogram({
      name: 'grpc_server_call_duration_seconds',
      help: 'From the call\'s headers received to its status sent, by method and status (gRFC A66 grpc.server.call.duration).',
      labelNames: ['grpc_method', 'grpc_status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#sent = new FixedHistogram({
      name: 'grpc_server_call_sent_total_compressed_message_size_bytes',
      help: 'Bytes of messages sent per call (uncompressed: the daemon does not compress), by method and status (gRFC A66).',
      labelNames: ['grpc_method', 'grpc_status'],
      buckets: SIZE_BUCKETS,
      registers,
    });
    this.#received = new FixedHistogram({
      name: 'grpc_server_call_rcvd_total_compressed_message_size_bytes',
      help: 'Bytes of messages received per call, by method and status (gRFC A66).',
      labelNames: ['grpc_method', 'grpc_status'],
      buckets: SIZE_BUCKETS,
      registers,
    });
  }

  // A call to a method no service registers: started and ended at once
  // with UNIMPLEMENTED, under "other".
  unknownMethod(): void {
    this.#countStart(OTHER_METHOD);
    const [duration, sent, received] = this.#childrenOf(OTHER_METHOD, grpc.status.UNIMPLEMENTED);
    duration.observe(0);
    sent.observe(0);
    received.observe(0);
  }

  interceptor(): grpc.ServerInterceptor {
    return (method, call) => {
      const name = method.path.startsWith('/') ? method.path.slice(1) : method.path;
      this.#countStart(name);
      const t0 = performance.now();
      let sent = 0;
      let received = 0;
      let ended = false;
      const end = (code: number): void => {
        if (ended) return;
        ended = true;
        const [d, s, r] = this.#childrenOf(name, code);
        d.observe((performance.now() - t0) / 1000);
        s.observe(sent);
        r.observe(received);
      };
      return new grpc.ServerInterceptingCall(call, {
        start(next) {
          next({
            onReceiveMessage(message, passOn) {
              received += sizeOf(message);
              passOn(message);
            },
            onCancel() {
              end(grpc.status.CANCELLED);
            },
          });
        },
        sendMessage(message, next) {
          if (message instanceof Uint8Array) {
            sent += message.byteLength;
            next(message);
            return;
          }
          lastSerializedBytes = 0;
          next(message);
          sent += lastSerializedBytes;
        },
        sendStatus(status, next) {
          end(status.code ?? grpc.status.UNKNOWN);
          next(status);
        },
      });
    };
  }

  #countStart(method: string): void {
    const c = this.#startedBy.get(method);
    if (c) c.n++;
    else this.#startedBy.set(method, { n: 1 });
  }

  #childrenOf(method: string, code: number): [Child, Child, Child] {
    let byCode = this.#children.get(method);
    if (!byCode) this.#children.set(method, (byCode = []));
    let c = byCode[code];
    if (!c) {
      const labels = { grpc_method: method, grpc_status: statusName(code) };
      byCode[code] = c = [this.#duration.series(labels), this.#sent.series(labels), this.#received.series(labels)];
    }
    return c;
  }
}

// Tells `metrics` of every call the server answers UNIMPLEMENTED because
// no handler has its path. grpc-js answers those before any interceptor,
// so the one place that sees them is its handler lookup (wrapped on this
// one server object).
export function countUnknownMethods(server: grpc.Server, metrics: GrpcServerMetrics): void {
  const s = server as unknown as { _retrieveHandler?: (path: string) => unknown };
  const retrieve = s._retrieveHandler;
  if (typeof retrieve !== 'function') throw new Error('this grpc-js has no _retrieveHandler: calls to unknown methods cannot be counted');
  s._retrieveHandler = function (this: unknown, path: string) {
    const handler: unknown = retrieve.call(this, path);
    if (handler === null || handler === undefined) metrics.unknownMethod();
    return handler;
  };
}
