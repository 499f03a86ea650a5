// kextbridge.v1.Bridge: each RPC checks the caller against the policy,
// then turns into frames on the kernel link. Every failure is a gRPC
// status with a message a person can act on.
import * as grpc from '@grpc/grpc-js';

import type { Authorizer } from '../auth/audit';
import type { PeerIdentity } from '../auth/identity';
import { withIdentity } from '../server/identity';
import type { KernelLink } from '../link/kernel-link';
import { decodeOptionValue, encodeOptionValue, ValueType, type CommandEntry, type OptionEntry, type OptionValue, type TopicEntry, type UpcallEntry } from '../wire';
import type { EventHub, Item, OverflowPolicy } from './events';
import type { Requests } from './requests';
import { abortOn, authorize, deadlineMs, endWithStatus, fail, isFailure, lookup, type Target } from './rpc';
import { statusSnapshot, type StatusWatchers } from './status';
import type { UpcallRouter } from './upcalls';

export interface BridgeDeps {
  link: KernelLink;
  requests: Requests;
  events: EventHub;
  upcalls: UpcallRouter;
  auth: Authorizer;
  statusWatchers: StatusWatchers;
  // An EventBatch's bytes from its items (batch-encoding.ts).
  encodeBatch: (items: readonly Item[]) => Buffer;
  limits: { subscriberQueueDefault: number; subscriberQueueMax: number; maxBatch: number; maxMessageBytes: number };
  version: string;
  startedAt: number;
  connections: () => number;
}

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>) => void;

const VALUE_TYPE_NAMES: Record<number, string> = {
  [ValueType.BOOL]: 'VALUE_TYPE_BOOL',
  [ValueType.INT64]: 'VALUE_TYPE_INT64',
  [ValueType.STRING]: 'VALUE_TYPE_STRING',
  [ValueType.BYTES]: 'VALUE_TYPE_BYTES',
};

export function bridgeImplementation(d: BridgeDeps): grpc.UntypedServiceImplementation {
  const describe: Unary<unknown, unknown> = withIdentity((identity: PeerIdentity, _call, cb) => {
    if (!d.auth.check(identity, { kind: 'describe' }).allowed) return cb(fail(grpc.status.PERMISSION_DENIED, 'describe denied'));
    const w = d.link.welcome;
    const s = d.link.session;
    if (!w || !s) return cb(fail(grpc.status.UNAVAILABLE, `kext link not ready: ${d.link.detail}`));
    const c = w.catalog;
    cb(null, {
      kextIdentity: w.identity,
      kextVersion: w.kextVersion,
      protocolVersion: s.version,
      maxDatagramToKext: s.sendDatagram,
      maxDatagramFromKext: s.receiveDatagram,
      maxMessage: s.sendMessage,
      maxInflight: s.maxInflight,
      commands: [...c.commands.values()].map((e) => ({ id: e.id, name: e.name, privileged: e.privileged })),
      topics: [...c.topics.values()].map((e) => ({ id: e.id, name: e.name, privileged: e.privileged })),
      options: [...c.options.values()].map((e) => ({
        id: e.id,
        name: e.name,
        privileged: e.privileged,
        readonly: e.readOnly,
        type: VALUE_TYPE_NAMES[e.valueType],
        min: e.min.toString(),
        max: e.max.toString(),
      })),
      upcalls: [...c.upcalls.values()].map((e) => ({ id: e.id, name: e.name, privileged: e.privileged, timeoutMs: e.timeoutMs, defaultVerdict: e.defaultVerdict })),
      daemonVersion: d.version,
    });
  });

  const getStatus: Unary<unknown, unknown> = withIdentity((identity: PeerIdentity, _call, cb) => {
    if (!d.auth.check(identity, { kind: 'status' }).allowed) return cb(fail(grpc.status.PERMISSION_DENIED, 'status denied'));
    cb(null, statusSnapshot(d));
  });

  const call: Unary<{ command?: Target; payload?: Buffer }, unknown> = withIdentity(
    (identity: PeerIdentity, c: grpc.ServerUnaryCall<{ command?: Target; payload?: Buffer }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const e = lookup<CommandEntry>(d.link, 'command', c.request.command);
      if (isFailure(e)) return cb(e);
      const denied = authorize(d.auth, identity, 'call', e);
      if (denied) return cb(denied);
      const payload = c.request.payload ?? Buffer.alloc(0);
      const limit = d.link.session?.sendMessage ?? 0;
      if (payload.length > limit) return cb(fail(grpc.status.INVALID_ARGUMENT, `payload of ${payload.length} bytes exceeds the kext's ${limit}-byte message limit`));
      d.requests.call('request', e.id, payload, deadlineMs(c), abortOn(c)).then((r) => {
        if (r.status === 0) cb(null, { payload: r.payload });
        else cb(fail(r.status, r.message || `the kext answered ${grpc.status[r.status] ?? r.status}`));
      });
    },
  );

  function optionValueMessage(o: OptionEntry, v: OptionValue): unknown {
    const base = { id: o.id, name: o.name };
    if (typeof v === 'boolean') return { ...base, boolValue: v };
    if (typeof v === 'bigint') return { ...base, int64Value: v.toString() };
    if (typeof v === 'string') return { ...base, stringValue: v };
    return { ...base, bytesValue: Buffer.from(v) };
  }

  const getOption: Unary<{ option?: Target }, unknown> = withIdentity(
    (identity: PeerIdentity, c: grpc.ServerUnaryCall<{ option?: Target }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const o = lookup<OptionEntry>(d.link, 'option', c.request.option);
      if (isFailure(o)) return cb(o);
      const denied = authorize(d.auth, identity, 'get', o);
      if (denied) return cb(denied);
      d.requests.call('opt_get', o.id, new Uint8Array(0), deadlineMs(c), abortOn(c)).then((r) => {
        if (r.status !== 0) return cb(fail(r.status, r.message));
        const v = decodeOptionValue(o, r.payload);
        if (!v.ok) return cb(fail(grpc.status.INTERNAL, `the kext sent a bad value for ${o.name}: ${v.error.message}`));
        cb(null, optionValueMessage(o, v.value));
      });
    },
  );

  type SetReq = { option?: Target; value?: { boolValue?: boolean; int64Value?: string; stringValue?: string; bytesValue?: Buffer; value?: string } };
  const setOption: Unary<SetReq, unknown> = withIdentity((identity: PeerIdentity, c: grpc.ServerUnaryCall<SetReq, unknown>, cb: grpc.sendUnaryData<unknown>) => {
    const o = lookup<OptionEntry>(d.link, 'option', c.request.option);
    if (isFailure(o)) return cb(o);
    const denied = authorize(d.auth, identity, 'set', o);
    if (denied) return cb(denied);
    const v = c.request.value;
    let value: OptionValue;
    try {
      switch (v?.value) {
        case 'boolValue':
          value = Boolean(v.boolValue);
          break;
        case 'int64Value':
          value = BigInt(v.int64Value ?? '0');
          break;
        case 'stringValue':
          value = v.stringValue ?? '';
          break;
        case 'bytesValue':
          value = v.bytesValue ?? Buffer.alloc(0);
          break;
        default:
          return cb(fail(grpc.status.INVALID_ARGUMENT, `set a value for ${o.name}: one of bool_value, int64_value, string_value, bytes_value`));
      }
    } catch {
      return cb(fail(grpc.status.INVALID_ARGUMENT, `int64_value is not an integer`));
    }
    const encoded = encodeOptionValue(o, value);
    if (!encoded.ok) {
      // Checked here so a bad value never reaches the kernel.
      return cb(fail(encoded.error.class === 'OUT_OF_RANGE' ? grpc.status.OUT_OF_RANGE : grpc.status.INVALID_ARGUMENT, encoded.error.message));
    }
    d.requests.call('opt_set', o.id, encoded.value, deadlineMs(c), abortOn(c)).then((r) => {
      if (r.status !== 0) return cb(fail(r.status, `${o.name}: ${r.message}`));
      cb(null, optionValueMessage(o, value));
    });
  });

  type SubReq = { topics?: Target[]; sinceSeq?: string; overflow?: string; maxBatch?: number; queueLimit?: number; payloadPrefix?: Buffer };
  const subscribe = withIdentity((identity: PeerIdentity, c: grpc.ServerWritableStream<SubReq, unknown>) => {
    const req = c.request;
    if (!req.topics || req.topics.length === 0) return endWithStatus(c, fail(grpc.status.INVALID_ARGUMENT, 'name at least one topic'));
    const topics = new Set<number>();
    for (const t of req.topics) {
      const e = lookup<TopicEntry>(d.link, 'topic', t);
      if (isFailure(e)) return endWithStatus(c, e);
      const denied = authorize(d.auth, identity, 'subscribe', e);
      if (denied) return endWithStatus(c, denied);
      topics.add(e.id);
    }
    const overflow: OverflowPolicy = req.overflow === 'OVERFLOW_POLICY_DROP_NEWEST' ? 'drop_newest' : req.overflow === 'OVERFLOW_POLICY_DISCONNECT' ? 'disconnect' : 'drop_oldest';
    const limit = Math.min(d.limits.subscriberQueueMax, req.queueLimit || d.limits.subscriberQueueDefault);
    const maxBatch = Math.min(d.limits.maxBatch, req.maxBatch || d.limits.maxBatch);
    const id = d.events.add({
      uid: identity.uid,
      pid: identity.pid,
      topics,
      overflow,
      limit,
      maxBatch,
      sinceSeq: Number(req.sinceSeq ?? 0),
      ...(req.payloadPrefix && req.payloadPrefix.length > 0 ? { prefix: req.payloadPrefix } : {}),
      sink: {
        // Pre-encoded: the Subscribe serializer passes Buffers through.
        write: (items) => c.write(d.encodeBatch(items)),
        once: (ev, fn) => c.once(ev, fn),
        end: () => c.end(),
        destroy: (err) => endWithStatus(c, err),
      },
    });
    const gone = (): void => d.events.remove(id);
    c.on('cancelled', gone);
    c.on('close', gone);
  });

  const listSubscribers: Unary<unknown, unknown> = withIdentity((identity: PeerIdentity, _c, cb) => {
    const decision = d.auth.check(identity, { kind: 'list_subscribers' });
    if (!decision.allowed) return cb(fail(grpc.status.PERMISSION_DENIED, decision.reason));
    cb(null, {
      subscribers: d.events.list().map((s) => ({
        ...s,
        overflow: `OVERFLOW_POLICY_${s.overflow.toUpperCase()}`,
      })),
    });
  });

  type ServeMsg = { msg?: string; register?: { upcall?: Target }; answer?: { id?: number; status?: number; payload?: Buffer } };
  const serve = withIdentity((identity: PeerIdentity, c: grpc.ServerDuplexStream<ServeMsg, unknown>) => {
    let key: number | null = null;
    const gone = (): void => {
      if (key !== null) d.upcalls.remove(key);
      key = null;
    };
    c.on('data', (m: ServeMsg) => {
      if (key === null) {
        if (m.msg !== 'register') return endWithStatus(c, fail(grpc.status.INVALID_ARGUMENT, 'the first message must be register { upcall }'));
        const u = lookup<UpcallEntry>(d.link, 'upcall', m.register?.upcall);
        if (isFailure(u)) return endWithStatus(c, u);
        const denied = authorize(d.auth, identity, 'serve', u);
        if (denied) return endWithStatus(c, denied);
        key = d.upcalls.add(u.id, {
          write: (q) => c.write({ id: q.id, upcall: q.upcall, payload: q.payload, timeoutMs: q.timeoutMs, defaultVerdict: q.defaultVerdict }),
        });
        return;
      }
      if (m.msg !== 'answer' || !m.answer) return endWithStatus(c, fail(grpc.status.INVALID_ARGUMENT, 'after register, send only answers'));
      d.upcalls.answer(key, m.answer.id ?? 0, m.answer.status ?? 0, m.answer.payload ?? Buffer.alloc(0));
    });
    c.on('end', () => {
      gone();
      c.end();
    });
    c.on('cancelled', gone);
    c.on('close', gone);
    c.on('error', gone);
  });

  const watchStatus = withIdentity((identity: PeerIdentity, c: grpc.ServerWritableStream<{ intervalMs?: number }, unknown>) => {
    if (!d.auth.check(identity, { kind: 'status' }).allowed) return endWithStatus(c, fail(grpc.status.PERMISSION_DENIED, 'status denied'));
    d.statusWatchers.add(c, c.request.intervalMs ?? 0);
  });

  return {
    Describe: describe,
    GetStatus: getStatus,
    WatchStatus: watchStatus,
    Call: call,
    Subscribe: subscribe,
    GetOption: getOption,
    SetOption: setOption,
    Serve: serve,
    ListSubscribers: listSubscribers,
  } as grpc.UntypedServiceImplementation;
}
