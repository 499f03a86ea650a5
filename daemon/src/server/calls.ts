// What both front ends do with a grpc-js call around an operation: take
// its deadline and cancellation, and end it with a status.
import type * as grpc from '@grpc/grpc-js';
import type { ServerSurfaceCall } from '@grpc/grpc-js/build/src/server-call';

import type { CallContext, Refusal } from '../core/operations';

export type Failure = { code: grpc.status; details: string };

export function fail(code: grpc.status, details: string): Failure {
  return { code, details };
}

// An operation's refusal as grpc-js's status object.
export function failure(r: Refusal): Failure {
  return { code: r.code as grpc.status, details: r.message };
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

// The call's deadline and an AbortSignal that fires when the client
// cancels or the deadline passes.
export function callContext(call: ServerSurfaceCall): CallContext {
  const ac = new AbortController();
  call.on('cancelled', () => ac.abort(CLIENT_CANCELLED));
  const ms = deadlineMs(call);
  return ms === undefined ? { signal: ac.signal } : { deadlineMs: ms, signal: ac.signal };
}

// A server-streaming or bidirectional call ends with a status by emitting
// it as an error: grpc-js then sends it after what was already written.
// (destroy(err) would drop the status: the stream is gone before it ends.)
export function endWithStatus(call: NodeJS.EventEmitter, f: Failure): void {
  call.emit('error', f);
}
