// The example kext's typed stub, as a user's program makes it: from the
// kext's own .proto through the client library's service(). One stub per
// client: loading the .proto is not for a hot loop.
import type { KextBridgeClient } from 'kextbridge';
import type { ExampleClient } from './generated/kextbridge/example/v1/Example';
import { EXAMPLE_PROTO } from './paths';

const stubs = new WeakMap<KextBridgeClient, ExampleClient>();

export function exampleStub(client: KextBridgeClient): ExampleClient {
  let stub = stubs.get(client);
  if (!stub) {
    stub = client.service<ExampleClient>(EXAMPLE_PROTO, 'kextbridge.example.v1.Example');
    stubs.set(client, stub);
  }
  return stub;
}
