// grpc-timeout as the gRPC spec defines it (PROTOCOL-HTTP2.md: TimeoutValue
// is 1 to 8 ASCII digits, TimeoutUnit one of H M S m u n). grpc-js reads
// it with an unanchored pattern and 32-bit arithmetic: "-5S" became 5 s,
// "123456789S" became 23456789 s, "99999999M" wrapped around to a deadline
// already past, and "0n" let the handler start (and send a REQUEST to the
// kext) before its timer ended the call. Here:
//   - a malformed value ends the call with INTERNAL naming it, before the
//     handler runs (as grpc-go and grpc-js do for what they see as
//     malformed);
//   - a zero timeout, or one under a millisecond, is already past:
//     DEADLINE_EXCEEDED before the handler runs;
//   - a valid value is handed to grpc-js rewritten in a form it reads
//     right, capped at the longest timer Node has (about 24.8 days).
// grpc-js offers no hook that sees the header before it parses it, so the
// one place it turns headers into Metadata is wrapped (once, by
// installGrpcTimeoutCheck) and the verdict filed under that Metadata
// object, which the per-connection interceptor below then reads.
import * as grpc from '@grpc/grpc-js';

export type TimeoutHeader = { kind: 'deadline'; ms: number } | { kind: 'past' } | { kind: 'malformed'; reason: string };

const UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 1e-3, n: 1e-6 };
const SPEC = /^([0-9]{1,8})([HMSmun])$/;
// setTimeout's longest delay.
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function parseGrpcTimeout(value: string): TimeoutHeader {
  const m = SPEC.exec(value);
  if (!m) {
    return {
      kind: 'malformed',
      reason: `grpc-timeout ${JSON.stringify(value)} is malformed: the gRPC spec allows 1 to 8 ASCII digits then one unit of H, M, S, m, u, n (e.g. "500m")`,
    };
  }
  const ms = Number(m[1]) * UNIT_MS[m[2]!]!;
  if (ms < 1) return { kind: 'past' };
  return { kind: 'deadline', ms: Math.min(ms, MAX_TIMEOUT_MS) };
}

// The same deadline in a form grpc-js's parser gets right: at most 8
// digits, no overflow of its 32-bit arithmetic.
function forGrpcJs(ms: number): string {
  return ms <= 99_999_999 ? `${Math.ceil(ms)}m` : `${Math.floor(ms / 1000)}S`;
}

type Refused = { code: grpc.status; details: string };
const refusals = new WeakMap<grpc.Metadata, Refused>();
let installed = false;

export function installGrpcTimeoutCheck(): void {
  if (installed) return;
  installed = true;
  const Metadata = grpc.Metadata as unknown as { fromHttp2Headers(headers: Record<string, unknown>): grpc.Metadata };
  const original = Metadata.fromHttp2Headers.bind(grpc.Metadata);
  Metadata.fromHttp2Headers = (headers) => {
    const metadata = original(headers);
    const raw = headers['grpc-timeout'];
    if (raw === undefined) return metadata;
    const value = Array.isArray(raw) ? raw.map(String).join(',') : String(raw);
    const t = parseGrpcTimeout(value);
    if (t.kind === 'deadline') {
      metadata.set('grpc-timeout', forGrpcJs(t.ms));
      return metadata;
    }
    // No timer for grpc-js to set: the interceptor ends the call now.
    metadata.remove('grpc-timeout');
    refusals.set(metadata, t.kind === 'past' ? { code: grpc.status.DEADLINE_EXCEEDED, details: `grpc-timeout ${JSON.stringify(value)}: the deadline has already passed` } : { code: grpc.status.INTERNAL, details: t.reason });
    return metadata;
  };
}

// Ends a call whose grpc-timeout was zero or malformed before its handler runs.
export function timeoutHeaderInterceptor(): grpc.ServerInterceptor {
  return (_method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, passOn) {
            const refused = refusals.get(metadata);
            if (refused) call.sendStatus({ ...refused, metadata: new grpc.Metadata() });
            else passOn(metadata);
          },
        });
      },
    });
}
