// The five things a client can do with the kext: call a command, get or set
// an option, subscribe to topics, serve an upcall. Both front ends (the
// generic kextbridge.v1.Bridge and the kext's typed services) are codecs
// over these: authorization, deadlines, limits and the overflow policy
// are decided here, once. Every refusal is an Outcome with a gRPC status
// code and a sentence a person can act on; nothing here throws.
import { programFields, type Authorizer } from '../auth/authorizer';
import type { PeerIdentity } from '../auth/identity';
import type { ItemActionKind } from '../auth/policy';
import type { LimitsConfig } from '../config/schema';
import {
  Status,
  decodeOptionValue,
  encodeOptionValue,
  type Catalog,
  type CatalogEntry,
  type ItemKind,
  type CommandEntry,
  type OptionEntry,
  type OptionValue,
  type TopicEntry,
  type UpcallEntry,
} from '../wire';
import { OVERFLOW_POLICY_CHOICES, overflowPolicyOf, type OverflowPolicyName } from '@kextbridge/protocol';

import type { EventSink, SubscriberInfo } from './events';
import type { KextReply } from './requests';
import type { KernelSession } from './session';
import { statusSnapshot, type StatusSources } from './status';
import type { HandlerStream } from './upcalls';

export type { ItemKind } from '../wire';

export type Outcome<T> = { ok: true; value: T } | Refusal;
export type Refusal = { ok: false; code: number; message: string };

export function refuse(code: number, message: string): Refusal {
  return { ok: false, code, message };
}

function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

// A catalog item as a client names it: by name or by id.
export interface Target {
  name?: string;
  id?: number;
  by?: 'name' | 'id';
}

// What a call may wait: the client's deadline and its cancellation.
export interface CallContext {
  deadlineMs?: number;
  signal?: AbortSignal;
}

export interface SubscribeRequest {
  topics: TopicEntry[];
  sinceSeq: number;
  sinceEpoch: string;
  overflow: OverflowPolicyName;
  // 0: the configured default / cap.
  queueLimit: number;
  maxBatch: number;
  prefix?: Uint8Array;
  sink: EventSink;
}

export interface UpcallHandle {
  answer(id: number, status: number, payload: Uint8Array): void;
  leave(): void;
}

// The one mapping from a client's overflow policy (the enum's name, the
// typed watch's metadata spelling, or nothing) to the hub's; anything
// else is refused, never silently drop_oldest.
export function parseOverflow(value: string | number | undefined): Outcome<OverflowPolicyName> {
  const policy = overflowPolicyOf(value);
  if (policy) return ok(policy);
  return refuse(Status.INVALID_ARGUMENT, `overflow policy ${JSON.stringify(value)} is not one of ${OVERFLOW_POLICY_CHOICES}`);
}

const MAPS: Record<ItemKind, keyof Catalog> = { command: 'commands', topic: 'topics', option: 'options', upcall: 'upcalls' };

export interface OperationsDeps {
  session: KernelSession;
  auth: Authorizer;
  limits: Pick<LimitsConfig, 'subscriberQueueDefault' | 'subscriberQueueMax' | 'subscriberQueueBytes' | 'maxBatch'>;
  startedAt: number;
  connections: () => number;
  connectionStats?: StatusSources['connectionStats'];
}

export class Operations {
  readonly #deps: OperationsDeps;
  // Uids that have served an upcall in this run: connection limits keep
  // room for them, so a flood cannot cut off the exec-authorization handler.
  readonly #handlerUids = new Set<number>();

  constructor(deps: OperationsDeps) {
    this.#deps = deps;
  }

  get session(): KernelSession {
    return this.#deps.session;
  }

  // The live catalog, or why there is none.
  catalog(): Outcome<Catalog> {
    const link = this.#deps.session.link;
    return link.welcome ? ok(link.welcome.catalog) : refuse(Status.UNAVAILABLE, `kext link not ready: ${link.detail}`);
  }

  // A catalog entry by name or id, or what the catalog has.
  find<E extends CatalogEntry>(kind: ItemKind, t: Target | undefined): Outcome<E> {
    const catalog = this.catalog();
    if (!catalog.ok) return catalog;
    const map = catalog.value[MAPS[kind]] as ReadonlyMap<number, E>;
    if (!t || (t.name === undefined && t.id === undefined) || (t.by === 'name' && !t.name)) {
      return refuse(Status.INVALID_ARGUMENT, `name the ${kind} by name or id`);
    }
    const byId = t.by === 'id' || (t.id !== undefined && t.by !== 'name');
    let found: E | undefined;
    if (byId) found = map.get(Number(t.id));
    else for (const e of map.values()) if (e.name === t.name) found = e;
    if (found) return ok(found);
    const known = [...map.values()].map((e) => `${e.name} (${e.id})`).join(', ');
    return refuse(Status.NOT_FOUND, `no ${kind} ${byId ? `id ${t.id}` : `"${t.name}"`} in the kext's catalog; it has: ${known || 'none'}`);
  }

  // Describe, GetStatus and ListSubscribers: who may look.
  mayLook(identity: PeerIdentity, kind: 'describe' | 'status' | 'list_subscribers'): Outcome<true> {
    const d = this.#deps.auth.check(identity, { kind });
    return d.allowed ? ok(true) : refuse(Status.PERMISSION_DENIED, d.reason);
  }

  status(identity: PeerIdentity): Outcome<Record<string, unknown>> {
    const may = this.mayLook(identity, 'status');
    if (!may.ok) return may;
    return ok(this.snapshot());
  }

  // The status whoever is asking may see (checked by the caller).
  snapshot(): Record<string, unknown> {
    const s = this.#deps.session;
    const d = this.#deps;
    return statusSnapshot({
      link: s.link,
      requests: s.requests,
      events: s.events,
      upcalls: s.upcalls,
      auth: d.auth,
      startedAt: d.startedAt,
      connections: d.connections,
      ...(d.connectionStats ? { connectionStats: d.connectionStats } : {}),
    });
  }

  subscribers(identity: PeerIdentity): Outcome<SubscriberInfo[]> {
    const may = this.mayLook(identity, 'list_subscribers');
    return may.ok ? ok(this.#deps.session.events.list()) : may;
  }

  async call(identity: PeerIdentity, e: CommandEntry, payload: Uint8Array, ctx: CallContext): Promise<Outcome<Buffer>> {
    const denied = this.#authorize(identity, 'call', e);
    if (denied) return denied;
    const limit = this.#deps.session.link.negotiated?.sendMessage ?? 0;
    if (payload.length > limit) return refuse(Status.INVALID_ARGUMENT, `the request of ${payload.length} bytes exceeds the kext's ${limit}-byte message limit`);
    const r = await this.#deps.session.requests.call('request', e.id, payload, ctx.deadlineMs, ctx.signal);
    return r.status === 0 ? ok(r.payload) : refuse(r.status, r.message || `${e.name}: the kext answered status ${r.status}`);
  }

  async getOption(identity: PeerIdentity, o: OptionEntry, ctx: CallContext): Promise<Outcome<OptionValue>> {
    const denied = this.#authorize(identity, 'get', o);
    if (denied) return denied;
    const r = await this.#deps.session.requests.call('opt_get', o.id, new Uint8Array(0), ctx.deadlineMs, ctx.signal);
    if (r.status !== 0) return this.#kextRefused(o, r);
    const v = decodeOptionValue(o, r.payload);
    return v.ok ? ok(v.value) : refuse(Status.INTERNAL, `the kext sent a bad value for ${o.name}: ${v.error.message}`);
  }

  async setOption(identity: PeerIdentity, o: OptionEntry, value: OptionValue, ctx: CallContext): Promise<Outcome<OptionValue>> {
    const denied = this.#authorize(identity, 'set', o);
    if (denied) return denied;
    const encoded = encodeOptionValue(o, value);
    // Checked here so a bad value never reaches the kernel.
    if (!encoded.ok) return refuse(encoded.error.class === 'OUT_OF_RANGE' ? Status.OUT_OF_RANGE : Status.INVALID_ARGUMENT, encoded.error.message);
    const r = await this.#deps.session.requests.call('opt_set', o.id, encoded.value, ctx.deadlineMs, ctx.signal);
    return r.status === 0 ? ok(value) : this.#kextRefused(o, r);
  }

  // Returns the function that ends the subscription.
  subscribe(identity: PeerIdentity, req: SubscribeRequest): Outcome<() => void> {
    if (req.topics.length === 0) return refuse(Status.INVALID_ARGUMENT, 'name at least one topic');
    for (const t of req.topics) {
      const denied = this.#authorize(identity, 'subscribe', t);
      if (denied) return denied;
    }
    const l = this.#deps.limits;
    const events = this.#deps.session.events;
    const sub = events.add({
      uid: identity.uid,
      pid: identity.pid,
      ...programFields(identity),
      topics: new Set(req.topics.map((t) => t.id)),
      overflow: req.overflow,
      limit: Math.min(l.subscriberQueueMax, req.queueLimit || l.subscriberQueueDefault),
      byteLimit: l.subscriberQueueBytes,
      maxBatch: Math.min(l.maxBatch, req.maxBatch || l.maxBatch),
      sinceSeq: req.sinceSeq,
      sinceEpoch: req.sinceEpoch,
      ...(req.prefix && req.prefix.length > 0 ? { prefix: req.prefix } : {}),
      sink: req.sink,
    });
    return ok(() => events.remove(sub.id));
  }

  serve(identity: PeerIdentity, u: UpcallEntry, stream: HandlerStream): Outcome<UpcallHandle> {
    const denied = this.#authorize(identity, 'serve', u);
    if (denied) return denied;
    const upcalls = this.#deps.session.upcalls;
    // Standing in the vote: root, then the admin group, then other granted users.
    const standing = identity.uid === 0 ? 0 : this.#deps.auth.isRootOrAdmin(identity) ? 1 : 2;
    const added = upcalls.add(u.id, { uid: identity.uid, pid: identity.pid, standing, ...programFields(identity) }, stream);
    if (!added.ok) {
      return refuse(
        Status.RESOURCE_EXHAUSTED,
        `uid ${identity.uid} already serves ${u.name} with ${added.count} handler${added.count === 1 ? '' : 's'}: limits.upcallHandlersPerUid is ${added.limit}; end one of them first`,
      );
    }
    this.#handlerUids.add(identity.uid);
    let key: number | null = added.key;
    return ok({
      answer: (id, status, payload) => {
        if (key !== null) upcalls.answer(key, id, status, payload);
      },
      leave: () => {
        if (key !== null) upcalls.remove(key);
        key = null;
      },
    });
  }

  servesUpcalls(uid: number): boolean {
    return this.#handlerUids.has(uid);
  }

  #authorize(identity: PeerIdentity, kind: ItemActionKind, e: CatalogEntry): Refusal | null {
    const decision = this.#deps.auth.check(identity, { kind, item: { id: e.id, name: e.name, privileged: e.privileged, setPrivileged: e.setPrivileged } });
    return decision.allowed ? null : refuse(Status.PERMISSION_DENIED, decision.reason);
  }

  #kextRefused(o: OptionEntry, r: KextReply): Refusal {
    return refuse(r.status, `${o.name}: ${r.message}`);
  }
}
