// kextbridge.v1.Bridge: decodes each RPC's request into an operation
// (core/operations.ts) and its outcome into the reply or the status. No
// decision is made here: who may, how long, how much is the core's.
import * as grpc from '@grpc/grpc-js';

import type { PeerIdentity } from '../auth/identity';
import type { Operations, Outcome, Target } from '../core/operations';
import { parseOverflow } from '../core/operations';
import { callContext, endWithStatus, fail, failure } from '../server/calls';
import { withIdentity } from '../server/identity';
import { serveSubscription, type ServerStream } from '../server/stream-sink';
import { ValueType, type CommandEntry, type OptionEntry, type OptionValue, type TopicEntry, type UpcallEntry } from '../wire';
import { subscribeEncoder } from './batch-encoding';
import type { StatusWatchers } from './status-watch';

export interface BridgeDeps {
  ops: Operations;
  statusWatchers: StatusWatchers;
  version: string;
}

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>) => void;

const VALUE_TYPE_NAMES: Record<number, string> = {
  [ValueType.BOOL]: 'VALUE_TYPE_BOOL',
  [ValueType.INT64]: 'VALUE_TYPE_INT64',
  [ValueType.STRING]: 'VALUE_TYPE_STRING',
  [ValueType.BYTES]: 'VALUE_TYPE_BYTES',
};

// Unary replies from an outcome.
function reply<T>(cb: grpc.sendUnaryData<unknown>, o: Outcome<T>, shape: (v: T) => unknown): void {
  if (o.ok) cb(null, shape(o.value));
  else cb(failure(o));
}

function optionValueMessage(o: OptionEntry, v: OptionValue): unknown {
  const base = { id: o.id, name: o.name };
  if (typeof v === 'boolean') return { ...base, boolValue: v };
  if (typeof v === 'bigint') return { ...base, int64Value: v.toString() };
  if (typeof v === 'string') return { ...base, stringValue: v };
  return { ...base, bytesValue: Buffer.from(v) };
}

type SetValue = { boolValue?: boolean; int64Value?: string; stringValue?: string; bytesValue?: Buffer; value?: string };

function optionValueOf(o: OptionEntry, v: SetValue | undefined): Outcome<OptionValue> {
  switch (v?.value) {
    case 'boolValue':
      return { ok: true, value: Boolean(v.boolValue) };
    case 'int64Value':
      if (!/^-?\d+$/.test(v.int64Value ?? '0')) return { ok: false, code: grpc.status.INVALID_ARGUMENT, message: 'int64_value is not an integer' };
      return { ok: true, value: BigInt(v.int64Value ?? '0') };
    case 'stringValue':
      return { ok: true, value: v.stringValue ?? '' };
    case 'bytesValue':
      return { ok: true, value: v.bytesValue ?? Buffer.alloc(0) };
    default:
      return { ok: false, code: grpc.status.INVALID_ARGUMENT, message: `set a value for ${o.name}: one of bool_value, int64_value, string_value, bytes_value` };
  }
}

export function bridgeImplementation(d: BridgeDeps): grpc.UntypedServiceImplementation {
  const { ops } = d;

  const describe: Unary<unknown, unknown> = withIdentity((identity: PeerIdentity, _call, cb) => {
    const may = ops.mayLook(identity, 'describe');
    if (!may.ok) return cb(failure(may));
    const link = ops.session.link;
    const w = link.welcome;
    const s = link.negotiated;
    if (!w || !s) return cb(fail(grpc.status.UNAVAILABLE, `kext link not ready: ${link.detail}`));
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

  const getStatus: Unary<unknown, unknown> = withIdentity((identity: PeerIdentity, _call, cb) => reply(cb, ops.status(identity), (s) => s));

  type CallReq = { command?: Target; payload?: Buffer };
  const call: Unary<CallReq, unknown> = withIdentity((identity: PeerIdentity, c: grpc.ServerUnaryCall<CallReq, unknown>, cb: grpc.sendUnaryData<unknown>) => {
    const e = ops.find<CommandEntry>('command', c.request.command);
    if (!e.ok) return cb(failure(e));
    void ops.call(identity, e.value, c.request.payload ?? Buffer.alloc(0), callContext(c)).then((r) => reply(cb, r, (payload) => ({ payload })));
  });

  const getOption: Unary<{ option?: Target }, unknown> = withIdentity(
    (identity: PeerIdentity, c: grpc.ServerUnaryCall<{ option?: Target }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const o = ops.find<OptionEntry>('option', c.request.option);
      if (!o.ok) return cb(failure(o));
      void ops.getOption(identity, o.value, callContext(c)).then((r) => reply(cb, r, (v) => optionValueMessage(o.value, v)));
    },
  );

  type SetReq = { option?: Target; value?: SetValue };
  const setOption: Unary<SetReq, unknown> = withIdentity((identity: PeerIdentity, c: grpc.ServerUnaryCall<SetReq, unknown>, cb: grpc.sendUnaryData<unknown>) => {
    const o = ops.find<OptionEntry>('option', c.request.option);
    if (!o.ok) return cb(failure(o));
    const value = optionValueOf(o.value, c.request.value);
    if (!value.ok) return cb(failure(value));
    void ops.setOption(identity, o.value, value.value, callContext(c)).then((r) => reply(cb, r, (v) => optionValueMessage(o.value, v)));
  });

  type SubReq = { topics?: Target[]; sinceSeq?: string; sinceEpoch?: string; overflow?: string; maxBatch?: number; queueLimit?: number; payloadPrefix?: Buffer };
  const subscribe = withIdentity((identity: PeerIdentity, c: grpc.ServerWritableStream<SubReq, unknown>) => {
    const req = c.request;
    const topics: TopicEntry[] = [];
    for (const t of req.topics ?? []) {
      const e = ops.find<TopicEntry>('topic', t);
      if (!e.ok) return endWithStatus(c, failure(e));
      topics.push(e.value);
    }
    const overflow = parseOverflow(req.overflow);
    if (!overflow.ok) return endWithStatus(c, failure(overflow));
    serveSubscription(c as unknown as ServerStream, subscribeEncoder(c as unknown as ServerStream), (sink) =>
      ops.subscribe(identity, {
        topics,
        sinceSeq: Number(req.sinceSeq ?? 0),
        sinceEpoch: req.sinceEpoch ?? '',
        overflow: overflow.value,
        queueLimit: req.queueLimit ?? 0,
        maxBatch: req.maxBatch ?? 0,
        ...(req.payloadPrefix ? { prefix: req.payloadPrefix } : {}),
        sink,
      }),
    );
  });

  const listSubscribers: Unary<unknown, unknown> = withIdentity((identity: PeerIdentity, _c, cb) =>
    reply(cb, ops.subscribers(identity), (list) => ({
      subscribers: list,
      upcallHandlers: ops.session.upcalls.list(),
    })),
  );

  type ServeMsg = { msg?: string; register?: { upcall?: Target }; answer?: { id?: number; status?: number; payload?: Buffer } };
  const serve = withIdentity((identity: PeerIdentity, c: grpc.ServerDuplexStream<ServeMsg, unknown>) => {
    let handler: { answer(id: number, status: number, payload: Uint8Array): void; leave(): void } | null = null;
    const gone = (): void => {
      handler?.leave();
      handler = null;
    };
    c.on('data', (m: ServeMsg) => {
      if (handler === null) {
        if (m.msg !== 'register') return endWithStatus(c, fail(grpc.status.INVALID_ARGUMENT, 'the first message must be register { upcall }'));
        const u = ops.find<UpcallEntry>('upcall', m.register?.upcall);
        if (!u.ok) return endWithStatus(c, failure(u));
        const h = ops.serve(identity, u.value, {
          write: (q) => c.write({ id: q.id, upcall: q.upcall, payload: q.payload, timeoutMs: q.timeoutMs, defaultVerdict: q.defaultVerdict }),
        });
        if (!h.ok) return endWithStatus(c, failure(h));
        handler = h.value;
        return;
      }
      if (m.msg !== 'answer' || !m.answer) return endWithStatus(c, fail(grpc.status.INVALID_ARGUMENT, 'after register, send only answers'));
      handler.answer(m.answer.id ?? 0, m.answer.status ?? 0, m.answer.payload ?? Buffer.alloc(0));
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
    const may = ops.mayLook(identity, 'status');
    if (!may.ok) return endWithStatus(c, failure(may));
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
