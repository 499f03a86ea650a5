// Serves the kext's own typed services with no per-method code: each
// method's binding (bindings.ts) says what it becomes on the kernel link.
// Requests arrive as raw bytes, are decoded against the method's type
// (malformed input stops here with INVALID_ARGUMENT), re-encoded (unknown
// fields do not reach the kernel) and forwarded; replies and events go back
// as the kext sent them. Auth, deadlines, overflow policies and loss
// accounting are the generic API's.
import * as grpc from '@grpc/grpc-js';
import type * as protobuf from 'protobufjs';

import type { PeerIdentity } from '../auth/identity';
import { Slice, type OutItem } from '../core/chunk';
import type { Operations, Outcome } from '../core/operations';
import type { Logger } from '../log';
import { callContext, endWithStatus, fail, failure, type Failure } from '../server/calls';
import { withIdentity } from '../server/identity';
import { serveSubscription, type ServerStream, type StreamEncoder } from '../server/stream-sink';
import type { CatalogEntry, CommandEntry, OptionEntry, OptionValue, TopicEntry, UpcallEntry } from '../wire';
import type { MethodBinding } from '@kextbridge/protocol';
import { checkBindings } from './drift';
import { watchSettings, type WatchSettings } from './watch-metadata';

type Raw = Buffer;

// Questions a typed handler has been sent and not yet answered, beyond
// which it is clearly not answering: the oldest are forgotten (the kext
// has applied its default to them long since).
const MAX_UNANSWERED = 4096;

function decodeFailure(type: protobuf.Type, err: unknown): Failure {
  return fail(grpc.status.INVALID_ARGUMENT, `the request is not a valid ${type.name}: ${(err as Error).message}`);
}

function reencode(type: protobuf.Type, bytes: Buffer): Buffer | Failure {
  try {
    return Buffer.from(type.encode(type.decode(bytes)).finish());
  } catch (err) {
    return decodeFailure(type, err);
  }
}

function isFailure(v: unknown): v is Failure {
  return !Buffer.isBuffer(v);
}

// The drift problems of the catalog now, refreshed at each WELCOME.
export class TypedProxy {
  #ops: Operations;
  #log: Logger;
  #bindings: readonly MethodBinding[];
  #problems = new Map<string, string>();
  #warned = new Set<string>();

  constructor(ops: Operations, log: Logger, bindings: readonly MethodBinding[]) {
    this.#ops = ops;
    this.#log = log;
    this.#bindings = bindings;
    ops.session.on('ready', () => this.#linkReady());
  }

  // SIGHUP served other .proto files: check their bindings against the
  // catalog the link has now.
  setBindings(bindings: readonly MethodBinding[]): void {
    this.#bindings = bindings;
    this.#linkReady();
  }

  // The link is ready with a (possibly new) catalog.
  #linkReady(): void {
    const w = this.#ops.session.link.welcome;
    this.#problems = w ? checkBindings(this.#bindings, w.catalog) : new Map();
    for (const [path, problem] of this.#problems) {
      if (this.#warned.has(problem)) continue;
      this.#warned.add(problem);
      this.#log.warn({ method: path }, problem);
    }
  }

  // grpc-js handlers by method name, for one service's bindings.
  implementation(bindings: readonly MethodBinding[]): grpc.UntypedServiceImplementation {
    const impl: grpc.UntypedServiceImplementation = {};
    for (const b of bindings) {
      const name = b.path.split('/')[2]!;
      impl[name] = this.#handler(b);
    }
    return impl;
  }

  // The catalog entry a method is bound to, while the kext has it as bound.
  #entry<E extends CatalogEntry>(b: MethodBinding): Outcome<E> {
    const catalog = this.#ops.catalog();
    if (!catalog.ok) return catalog;
    const problem = this.#problems.get(b.path);
    if (problem) return { ok: false, code: grpc.status.FAILED_PRECONDITION, message: problem };
    const map = { command: catalog.value.commands, topic: catalog.value.topics, option: catalog.value.options, upcall: catalog.value.upcalls }[b.kind];
    const e = (map as ReadonlyMap<number, E>).get(b.id);
    if (!e) return { ok: false, code: grpc.status.FAILED_PRECONDITION, message: `${b.label}: ${b.kind} ${b.id} is not in the kext's catalog` };
    return { ok: true, value: e };
  }

  #handler(b: MethodBinding): grpc.UntypedHandleCall {
    switch (b.kind) {
      case 'command':
        return withIdentity((identity: PeerIdentity, call: grpc.ServerUnaryCall<Raw, Raw>, cb: grpc.sendUnaryData<Raw>) => this.#command(b, identity, call, cb));
      case 'option':
        return withIdentity((identity: PeerIdentity, call: grpc.ServerUnaryCall<Raw, Raw>, cb: grpc.sendUnaryData<Raw>) => this.#option(b, identity, call, cb));
      case 'topic':
        return withIdentity((identity: PeerIdentity, call: grpc.ServerWritableStream<Raw, Raw>) => this.#watch(b, identity, call));
      case 'upcall':
        return withIdentity((identity: PeerIdentity, call: grpc.ServerDuplexStream<Raw, Raw>) => this.#serve(b, identity, call));
    }
  }

  #command(b: MethodBinding, identity: PeerIdentity, call: grpc.ServerUnaryCall<Raw, Raw>, cb: grpc.sendUnaryData<Raw>): void {
    const e = this.#entry<CommandEntry>(b);
    if (!e.ok) return cb(failure(e));
    const body = reencode(b.request, call.request);
    if (isFailure(body)) return cb(body);
    void this.#ops.call(identity, e.value, body, callContext(call)).then((r) => {
      if (!r.ok) return cb(failure(r));
      try {
        b.response.decode(r.value);
      } catch (err) {
        return cb(fail(grpc.status.INTERNAL, `the kext's reply to ${e.value.name} is not a valid ${b.response.name}: ${(err as Error).message}`));
      }
      cb(null, r.value);
    });
  }

  #option(b: MethodBinding, identity: PeerIdentity, call: grpc.ServerUnaryCall<Raw, Raw>, cb: grpc.sendUnaryData<Raw>): void {
    const e = this.#entry<OptionEntry>(b);
    if (!e.ok) return cb(failure(e));
    const o = e.value;
    const reply = (r: Outcome<OptionValue>): void => {
      if (!r.ok) return cb(failure(r));
      const field = b.response.fieldsArray[0]!;
      const value = typeof r.value === 'bigint' ? r.value.toString() : r.value;
      cb(null, Buffer.from(b.response.encode(b.response.fromObject({ [field.name]: value })).finish()));
    };
    if (b.access === 'get') {
      void this.#ops.getOption(identity, o, callContext(call)).then(reply);
      return;
    }
    let message: Record<string, unknown>;
    try {
      message = b.request.toObject(b.request.decode(call.request), { longs: String, defaults: true });
    } catch (err) {
      return cb(decodeFailure(b.request, err));
    }
    const raw = message[b.request.fieldsArray[0]!.name];
    let value: OptionValue;
    if (typeof raw === 'string' && /^-?\d+$/.test(raw) && b.request.fieldsArray[0]!.type !== 'string') value = BigInt(raw);
    else if (typeof raw === 'number') value = BigInt(raw);
    else value = raw as OptionValue;
    void this.#ops.setOption(identity, o, value, callContext(call)).then(reply);
  }

  #watch(b: MethodBinding, identity: PeerIdentity, call: grpc.ServerWritableStream<Raw, Raw>): void {
    const e = this.#entry<TopicEntry>(b);
    const body = e.ok ? reencode(b.request, call.request) : failure(e);
    if (isFailure(body)) return endWithStatus(call, body);
    let settings: WatchSettings;
    try {
      settings = watchSettings(call.metadata);
    } catch (err) {
      return endWithStatus(call, fail(grpc.status.INVALID_ARGUMENT, (err as Error).message));
    }
    const topic = (e as { value: TopicEntry }).value;
    serveSubscription(call as unknown as ServerStream, watchEncoder(b, call), (sink) =>
      this.#ops.subscribe(identity, { topics: [topic], sinceSeq: settings.sinceSeq, sinceEpoch: settings.sinceEpoch, overflow: settings.overflow, queueLimit: settings.queueLimit, maxBatch: 0, sink }),
    );
  }

  #serve(b: MethodBinding, identity: PeerIdentity, call: grpc.ServerDuplexStream<Raw, Raw>): void {
    const e = this.#entry<UpcallEntry>(b);
    if (!e.ok) return endWithStatus(call, failure(e));
    // Typed answers carry no id: they answer the questions in the order asked.
    const asked: number[] = [];
    const h = this.#ops.serve(identity, e.value, {
      write: (q) => {
        asked.push(q.id);
        if (asked.length > MAX_UNANSWERED) asked.shift();
        call.write(q.payload);
      },
    });
    if (!h.ok) return endWithStatus(call, failure(h));
    let handler: typeof h.value | null = h.value;
    const gone = (): void => {
      handler?.leave();
      handler = null;
    };
    call.on('data', (answer: Raw) => {
      if (handler === null) return;
      const id = asked.shift();
      if (id === undefined) return endWithStatus(call, fail(grpc.status.INVALID_ARGUMENT, `an answer arrived with no ${b.response.name} question waiting; answer each question once, in order`));
      const body = reencode(b.request, answer);
      if (isFailure(body)) {
        gone();
        return endWithStatus(call, body);
      }
      handler.answer(id, 0, body);
    });
    call.on('end', () => {
      gone();
      call.end();
    });
    call.on('cancelled', gone);
    call.on('close', gone);
    call.on('error', gone);
  }
}

// A typed watch's messages: each event is a message of its own, the kext's
// event message as the kext sent it; a loss is that message with only its
// Lost field set (when the message has one). The epoch goes in the
// response's initial metadata.
function watchEncoder(b: MethodBinding, call: grpc.ServerWritableStream<Raw, Raw>): StreamEncoder {
  const lostField = b.lostField;
  return {
    payloadsOnly: true,
    start: (epoch) => {
      const md = new grpc.Metadata();
      md.set('kextbridge-epoch', epoch);
      call.sendMetadata(md);
    },
    messages: (items: readonly OutItem[]) => {
      const out: Buffer[] = [];
      for (const item of items) {
        if (item instanceof Slice) {
          for (let i = item.from; i < item.to; i++) out.push(item.chunk.payload(i));
        } else if ('lost' in item && lostField) {
          out.push(Buffer.from(b.response.encode(b.response.fromObject({ [lostField.name]: item.lost })).finish()));
        }
      }
      return out;
    },
  };
}
