// What every handler, generic or typed, does around the kernel: find the
// catalog item, ask the policy, take the deadline and cancellation from
// the call, and end a stream with a status.
import * as grpc from '@grpc/grpc-js';
import type { ServerSurfaceCall } from '@grpc/grpc-js/build/src/server-call';

import type { Authorizer } from '../auth/audit';
import type { PeerIdentity } from '../auth/identity';
import type { ItemActionKind } from '../auth/policy';
import type { KernelLink } from '../link/kernel-link';
import type { Catalog, CatalogEntry } from '../wire';

export type Failure = { code: grpc.status; details: string };
export type Target = { name?: string; id?: number; by?: 'name' | 'id' };
export type CatalogKind = 'command' | 'topic' | 'option' | 'upcall';

export function fail(code: grpc.status, details: string): Failure {
  return { code, details };
}

export function isFailure(v: unknown): v is Failure {
  return typeof v === 'object' && v !== null && 'code' in v && 'details' in v && !('kind' in v);
}

const MAPS: Record<CatalogKind, keyof Catalog> = { command: 'commands', topic: 'topics', option: 'options', upcall: 'upcalls' };

// The catalog of the live link, or why there is none.
export function catalogOf(link: KernelLink): Catalog | Failure {
  const w = link.welcome;
  return w ? w.catalog : fail(grpc.status.UNAVAILABLE, `kext link not ready: ${link.detail}`);
}

// Finds a catalog entry by name or id, or says what exists.
export function lookup<E extends CatalogEntry>(link: KernelLink, kind: CatalogKind, t: Target | undefined): E | Failure {
  const catalog = catalogOf(link);
  if (isFailure(catalog)) return catalog;
  const map = catalog[MAPS[kind]] as ReadonlyMap<number, E>;
  if (!t || (t.name === undefined && t.id === undefined) || (t.by === 'name' && !t.name)) {
    return fail(grpc.status.INVALID_ARGUMENT, `name the ${kind} by name or id`);
  }
  const byId = t.by === 'id' || (t.id !== undefined && t.by !== 'name');
  const found = byId ? map.get(Number(t.id)) : [...map.values()].find((e) => e.name === t.name);
  if (found) return found;
  const known = [...map.values()].map((e) => `${e.name} (${e.id})`).join(', ');
  return fail(grpc.status.NOT_FOUND, `no ${kind} ${byId ? `id ${t.id}` : `"${t.name}"`} in the kext's catalog; it has: ${known || 'none'}`);
}

export function authorize(auth: Authorizer, identity: PeerIdentity, kind: ItemActionKind, e: CatalogEntry): Failure | null {
  const decision = auth.check(identity, { kind, item: { id: e.id, name: e.name, privileged: e.privileged } });
  return decision.allowed ? null : fail(grpc.status.PERMISSION_DENIED, decision.reason);
}

// Milliseconds left of the call's deadline; undefined when it has none.
export function deadlineMs(call: ServerSurfaceCall): number | undefined {
  const dl = call.getDeadline();
  const at = dl instanceof Date ? dl.getTime() : typeof dl === 'number' ? dl : Infinity;
  return Number.isFinite(at) ? Math.max(1, at - Date.now()) : undefined;
}

// One reason for every abort: abort() without one builds a DOMException,
// stack trace and all, and grpc-js reports 'cancelled' at the end of every
// call, answered or not, so that cost was paid once per call.
const CLIENT_CANCELLED = 'cancelled by the client';

// Aborts when the client cancels or the deadline passes.
export function abortOn(call: ServerSurfaceCall): AbortSignal {
  const ac = new AbortController();
  call.on('cancelled', () => ac.abort(CLIENT_CANCELLED));
  return ac.signal;
}

// A server-streaming or bidirectional call ends with a status by emitting
// it as an error: grpc-js then sends it after what was already written.
// (destroy(err) would drop the status: the stream is gone before it ends.)
export function endWithStatus(call: NodeJS.EventEmitter, f: Failure): void {
  call.emit('error', f);
}
