// Serves the kext's own typed services with no per-method code: each
// method's binding (bindings.ts) says what it becomes on the kernel link.
// Requests arrive as raw bytes, are decoded against the method's type
// (malformed input stops here with INVALID_ARGUMENT), re-encoded (unknown
// fields do not reach the kernel) and forwarded; replies and events go back
// as the kext sent them. Auth, deadlines, overflow policies and loss
// accounting are the generic API's.
import * as grpc from '@grpc/grpc-js';
import type * as protobuf from 'protobufjs';

import type { Authorizer } from '../auth/audit';
import type { PeerIdentity } from '../auth/identity';
import type { ItemActionKind } from '../auth/policy';
import type { Logger } from '../log';
import type { KernelLink } from '../link/kernel-link';
import { withIdentity } from '../server/identity';
import { decodeOptionValue, encodeOptionValue, type CatalogEntry, type OptionEntry, type OptionValue } from '../wire';
import type { EventHub, Item } from '../bridge/events';
import type { Requests } from '../bridge/requests';
import { abortOn, authorize, deadlineMs, endWithStatus, fail, isFailure, type Failure } from '../bridge/rpc';
import type { UpcallRouter } from '../bridge/upcalls';
import type { MethodBinding } from './bindings';
import { checkBindings } from './drift';
import { watchSettings, type WatchSettings } from './watch-metadata';

export interface TypedDeps {
  link: KernelLink;
  requests: Requests;
  events: EventHub;
  upcalls: UpcallRouter;
  auth: Authorizer;
  limits: { subscriberQueueDefault: number; subscriberQueueMax: number; maxBatch: number };
  log: Logger;
}

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

function asBuffer(p: Uint8Array): Buffer {
  return Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength);
}

// The drift problems of the catalog now, refreshed at each WELCOME.
export class TypedProxy {
  #d: TypedDeps;
  #bindings: readonly MethodBinding[];
  #problems = new Map<string, string>();
  #warned = new Set<string>();

  constructor(deps: TypedDeps, bindings: readonly MethodBinding[]) {
    this.#d = deps;
    this.#bindings = bindings;
  }

  // The link is ready with a (possibly new) catalog.
  linkReady(): void {
    const w = this.#d.link.welcome;
    this.#problems = w ? checkBindings(this.#bindings, w.catalog) : new Map();
    for (const [path, problem] of this.#problems) {
      if (this.#warned.has(problem)) continue;
      this.#warned.add(problem);
      this.#d.log.warn({ method: path }, problem);
    }
  }

  problem(path: string): string | undefined {
    return this.#problems.get(path);
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

  // The catalog entry a call may use now, or the status it ends with.
  #entry(b: MethodBinding, identity: PeerIdentity, action: ItemActionKind): CatalogEntry | Failure {
    const w = this.#d.link.welcome;
    if (!w) return fail(grpc.status.UNAVAILABLE, `kext link not ready: ${this.#d.link.detail}`);
    const problem = this.#problems.get(b.path);
    if (problem) return fail(grpc.status.FAILED_PRECONDITION, problem);
    const map = { command: w.catalog.commands, topic: w.catalog.topics, option: w.catalog.options, upcall: w.catalog.upcalls }[b.kind];
    const e = (map as ReadonlyMap<number, CatalogEntry>).get(b.id);
    if (!e) return fail(grpc.status.FAILED_PRECONDITION, `${b.label}: ${b.kind} ${b.id} is not in the kext's catalog`);
    return authorize(this.#d.auth, identity, action, e) ?? e;
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
    const e = this.#entry(b, identity, 'call');
    if (isFailure(e)) return cb(e);
    const body = reencode(b.request, call.request);
    if (isFailure(body)) return cb(body);
    const limit = this.#d.link.session?.sendMessage ?? 0;
    if (body.length > limit) return cb(fail(grpc.status.INVALID_ARGUMENT, `${b.request.name} of ${body.length} bytes exceeds the kext's ${limit}-byte message limit`));
    void this.#d.requests.call('request', e.id, body, deadlineMs(call), abortOn(call)).then((r) => {
      if (r.status !== 0) return cb(fail(r.status, r.message || `the kext answered ${grpc.status[r.status] ?? r.status}`));
      try {
        b.response.decode(r.payload);
      } catch (err) {
        return cb(fail(grpc.status.INTERNAL, `the kext's reply to ${e.name} is not a valid ${b.response.name}: ${(err as Error).message}`));
      }
      cb(null, r.payload);
    });
  }

  #option(b: MethodBinding, identity: PeerIdentity, call: grpc.ServerUnaryCall<Raw, Raw>, cb: grpc.sendUnaryData<Raw>): void {
    const e = this.#entry(b, identity, b.access === 'set' ? 'set' : 'get');
    if (isFailure(e)) return cb(e);
    const o = e as OptionEntry;
    const reply = (v: OptionValue): void => {
      const field = b.response.fieldsArray[0]!;
      const value = typeof v === 'bigint' ? v.toString() : v;
      cb(null, Buffer.from(b.response.encode(b.response.fromObject({ [field.name]: value })).finish()));
    };
    if (b.access === 'get') {
      void this.#d.requests.call('opt_get', o.id, new Uint8Array(0), deadlineMs(call), abortOn(call)).then((r) => {
        if (r.status !== 0) return cb(fail(r.status, `${o.name}: ${r.message}`));
        const v = decodeOptionValue(o, r.payload);
        if (!v.ok) return cb(fail(grpc.status.INTERNAL, `the kext sent a bad value for ${o.name}: ${v.error.message}`));
        reply(v.value);
      });
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
    const encoded = encodeOptionValue(o, value);
    if (!encoded.ok) return cb(fail(encoded.error.class === 'OUT_OF_RANGE' ? grpc.status.OUT_OF_RANGE : grpc.status.INVALID_ARGUMENT, encoded.error.message));
    void this.#d.requests.call('opt_set', o.id, encoded.value, deadlineMs(call), abortOn(call)).then((r) => {
      if (r.status !== 0) return cb(fail(r.status, `${o.name}: ${r.message}`));
      reply(value);
    });
  }

  #watch(b: MethodBinding, identity: PeerIdentity, call: grpc.ServerWritableStream<Raw, Raw>): void {
    const e = this.#entry(b, identity, 'subscribe');
    const body = isFailure(e) ? e : reencode(b.request, call.request);
    if (isFailure(body)) {
      endWithStatus(call, body);
      return;
    }
    let settings: WatchSettings;
    try {
      settings = watchSettings(call.metadata);
    } catch (err) {
      endWithStatus(call, fail(grpc.status.INVALID_ARGUMENT, (err as Error).message));
      return;
    }
    const { limits } = this.#d;
    const lostMessage = (item: Extract<Item, { lost: unknown }>): Buffer | null => {
      const f = b.lostField;
      if (!f) return null;
      return Buffer.from(b.response.encode(b.response.fromObject({ [f.name]: item.lost })).finish());
    };
    const id = this.#d.events.add({
      uid: identity.uid,
      pid: identity.pid,
      topics: new Set([(e as CatalogEntry).id]),
      overflow: settings.overflow,
      limit: Math.min(limits.subscriberQueueMax, settings.queueLimit || limits.subscriberQueueDefault),
      maxBatch: limits.maxBatch,
      sinceSeq: settings.sinceSeq,
      sink: {
        write: (items) => {
          let more = true;
          for (const item of items) {
            if ('event' in item) more = call.write(asBuffer(item.event.payload)) && more;
            else if ('lost' in item) {
              const m = lostMessage(item);
              if (m) more = call.write(m) && more;
            }
          }
          return more;
        },
        once: (ev, fn) => call.once(ev, fn),
        end: () => call.end(),
        destroy: (err) => endWithStatus(call, err),
      },
    });
    const gone = (): void => this.#d.events.remove(id);
    call.on('cancelled', gone);
    call.on('close', gone);
  }

  #serve(b: MethodBinding, identity: PeerIdentity, call: grpc.ServerDuplexStream<Raw, Raw>): void {
    const e = this.#entry(b, identity, 'serve');
    if (isFailure(e)) return endWithStatus(call, e);
    // Typed answers carry no id: they answer the questions in the order asked.
    const asked: number[] = [];
    let key: number | null = this.#d.upcalls.add(e.id, {
      write: (q) => {
        asked.push(q.id);
        if (asked.length > MAX_UNANSWERED) asked.shift();
        call.write(q.payload);
      },
    });
    const gone = (): void => {
      if (key !== null) this.#d.upcalls.remove(key);
      key = null;
    };
    call.on('data', (answer: Raw) => {
      if (key === null) return;
      const id = asked.shift();
      if (id === undefined) return endWithStatus(call, fail(grpc.status.INVALID_ARGUMENT, `an answer arrived with no ${b.response.name} question waiting; answer each question once, in order`));
      const body = reencode(b.request, answer);
      if (isFailure(body)) {
        gone();
        return endWithStatus(call, body);
      }
      this.#d.upcalls.answer(key, id, 0, body);
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

// grpc-js definitions that hand the handlers raw request bytes and send
// raw reply bytes: the proxy decodes and encodes itself, once.
export function rawDefinition(definition: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const out: Record<string, grpc.MethodDefinition<Raw, Raw>> = {};
  for (const [name, m] of Object.entries(definition)) {
    out[name] = { ...m, requestDeserialize: (b: Buffer) => b, responseSerialize: (v: Raw) => v, requestSerialize: (v: Raw) => v, responseDeserialize: (b: Buffer) => b };
  }
  return out as grpc.ServiceDefinition;
}
