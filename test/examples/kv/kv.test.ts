// The kv kext through kextbridged, from TypeScript (node:test, grpc-js):
// what a kext author's CI runs, with kextbridge-dev serving the kext:
//
//   scripts/kextbridge-dev --kext kv -- node --test dist/test/examples/kv/kv.test.js
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const socket = process.env['KEXTBRIDGE_SOCKET'];
const proto = process.env['KEXTBRIDGE_PROTO'];
if (!socket || !proto) throw new Error('run me under kextbridge-dev: KEXTBRIDGE_SOCKET and KEXTBRIDGE_PROTO are not set');

const protoRoot = join(dirname(proto), '../..');
const def = protoLoader.loadSync(proto, { includeDirs: [protoRoot], longs: String, enums: String, defaults: true });
const pkg = grpc.loadPackageDefinition(def) as unknown as { kv: { v1: { Kv: grpc.ServiceClientConstructor } } };
type Unary = (req: unknown, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, reply: unknown) => void) => void;
const kv = new pkg.kv.v1.Kv(`unix://${socket}`, grpc.credentials.createInsecure()) as grpc.Client & Record<string, Unary>;
after(() => kv.close());

function call<T>(method: string, request: unknown): Promise<T> {
  return new Promise((res, rej) => kv[method]!(request, { deadline: Date.now() + 5000 }, (err, reply) => (err ? rej(err) : res(reply as T))));
}

test('put, get, delete', async () => {
  assert.deepEqual(await call('Put', { key: 'ts-a', value: Buffer.from('one') }), { created: true, keys: 1 });
  assert.deepEqual(await call('Get', { key: 'ts-a' }), { value: Buffer.from('one') });
  assert.deepEqual(await call('Delete', { key: 'ts-a' }), { deleted: true });
  await assert.rejects(call('Get', { key: 'ts-a' }), (e: grpc.ServiceError) => e.code === grpc.status.NOT_FOUND && e.details === 'no such key');
});

test('the store holds max_keys keys; anyone reads the option', async () => {
  assert.deepEqual(await call('GetMaxKeys', {}), { maxKeys: '16' });
  assert.deepEqual(await call('SetMaxKeys', { maxKeys: 2 }), { maxKeys: '2' });
  try {
    await call('Put', { key: 'ts-1', value: Buffer.alloc(0) });
    await call('Put', { key: 'ts-2', value: Buffer.alloc(0) });
    await assert.rejects(call('Put', { key: 'ts-3', value: Buffer.alloc(0) }), (e: grpc.ServiceError) => e.code === grpc.status.RESOURCE_EXHAUSTED && /max_keys/.test(e.details));
  } finally {
    await call('Delete', { key: 'ts-1' });
    await call('Delete', { key: 'ts-2' });
    await call('SetMaxKeys', { maxKeys: 16 });
  }
});

test('a value over its bound in kv.proto never reaches the kernel', async () => {
  await assert.rejects(call('Put', { key: 'big', value: Buffer.alloc(257) }), (e: grpc.ServiceError) => e.code === grpc.status.INVALID_ARGUMENT && /PutRequest\.value is longer than 256 bytes/.test(e.details));
});
