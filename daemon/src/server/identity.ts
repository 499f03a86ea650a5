// Binding each call to the peer credentials of its connection.
//
// grpc-js has no notion of peer credentials, and what it shows a handler of
// the connection (getPeer(), getConnectionInfo()) is address text, empty
// for unix sockets. So the daemon accepts connections itself, reads the
// credentials from each accepted socket, and gives every connection its own
// connection injector whose credentials carry one server interceptor: a
// closure over that connection's identity. The interceptor sees each call's
// request Metadata object on its way to the handler and files the identity
// under it in a WeakMap; the handler finds it again from `call.metadata`
// (grpc-js hands the handler that same object).
//
// Why this way: the identity is captured when the kernel reports it, at
// accept, and travels with a JS object no client can name or forge; header
// values play no part (a client could send any). It uses only public
// grpc-js API (createConnectionInjector, and experimental
// createServerCredentialsWithInterceptors) rather than reaching into
// http2 sessions through private fields. The cost is one idle http2.Server
// object per connection, destroyed when the connection closes.
import * as grpc from '@grpc/grpc-js';
import type { PeerIdentity } from '../auth/identity';
import { timeoutHeaderInterceptor } from './deadline-header';

const identityByMetadata = new WeakMap<grpc.Metadata, PeerIdentity>();

// onCall runs as each call on the connection starts.
export function identityInterceptor(identity: PeerIdentity, onCall?: () => void): grpc.ServerInterceptor {
  const program = identity.program ? { program: Object.freeze({ ...identity.program }) } : {};
  const frozen: PeerIdentity = Object.freeze({ ...identity, groups: Object.freeze([...identity.groups]) as number[], ...program });
  return (_method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start(next) {
        onCall?.();
        next({
          onReceiveMetadata(metadata, passOn) {
            identityByMetadata.set(metadata, frozen);
            passOn(metadata);
          },
        });
      },
    });
}

// `measured`, when given, sees every call first (the metrics).
export function credentialsFor(identity: PeerIdentity, onCall?: () => void, measured?: grpc.ServerInterceptor): grpc.ServerCredentials {
  const interceptors = [timeoutHeaderInterceptor(), identityInterceptor(identity, onCall)];
  if (measured) interceptors.unshift(measured);
  return grpc.experimental.createServerCredentialsWithInterceptors(grpc.ServerCredentials.createInsecure(), interceptors);
}

// The identity of the connection a call came in on; undefined only for a
// call that did not come through the daemon's own listener.
export function identityOf(call: { metadata: grpc.Metadata }): PeerIdentity | undefined {
  return identityByMetadata.get(call.metadata);
}

const NO_IDENTITY: Partial<grpc.StatusObject> = {
  code: grpc.status.UNAUTHENTICATED,
  details: 'no peer credentials for this connection',
};

type AnyCall = { metadata: grpc.Metadata };

// Adapts a handler that takes the caller's identity first to grpc-js's
// handler shape, for all four call kinds: unary and client-streaming
// handlers get (identity, call, callback), server-streaming and bidi ones
// (identity, call). A call without an identity fails closed with
// UNAUTHENTICATED before the handler runs.
export function withIdentity<C extends AnyCall, Rest extends unknown[]>(
  handler: (identity: PeerIdentity, call: C, ...rest: Rest) => void,
): (call: C, ...rest: Rest) => void {
  return (call: C, ...rest: Rest) => {
    const identity = identityOf(call);
    if (identity !== undefined) {
      handler(identity, call, ...rest);
      return;
    }
    const callback = rest[0];
    if (typeof callback === 'function') callback(NO_IDENTITY);
    else (call as unknown as NodeJS.EventEmitter).emit('error', NO_IDENTITY);
  };
}
