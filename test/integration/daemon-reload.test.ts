// SIGHUP: the daemon re-reads its config and applies the new policy and log
// level to connections already open, without dropping a client or a
// stream; a config that does not validate is refused with the key named,
// and the policy in force stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadSchema } from '@kextbridge/protocol';
import { healthClient, loggedLine, unary } from '../support/daemon';
import { listServices } from '../support/reflection';
import { startStack } from '../support/stack';
import { startUidClient } from '../support/uid-client';
import { until } from '../support/wait';
import { COUNTER_PROTO, EXAMPLE_PROTO, ROOT as root } from '../support/paths';

const NOBODY = 65534;
const EmitRequest = loadSchema([join(root, 'proto/example/v1/example.proto')]).lookupType('kextbridge.example.v1.EmitRequest');
const emitOne = { command: { name: 'emit' }, payload: Buffer.from(EmitRequest.encode({ topic: 1, count: 1 }).finish()).toString('base64') };

test('SIGHUP applies a new policy to open connections, keeps streams, and refuses a bad config keeping the old policy', async () => {
  // The level comes from the file alone: a flag would win over it.
  const { daemon, client, configFile, stop } = await startStack({ logLevel: 'info' }, [], { logLevel: null });
  const nobody = startUidClient(daemon.socket, NOBODY);
  // A stream open across both reloads.
  const stream = client.Subscribe!({ topics: [{ name: 'exec' }] }) as NodeJS.EventEmitter & { cancel(): void };
  const seqs: number[] = [];
  let streamError: unknown = null;
  stream.on('data', (b: { items: Array<{ event?: { seq: string } }> }) => {
    for (const i of b.items) if (i.event) seqs.push(Number(i.event.seq));
  });
  stream.on('error', (e) => (streamError = e));
  try {
    const denied = await nobody.call('Call', emitOne);
    assert.equal(denied.code, 7, 'emit is privileged: a plain user is denied');
    const clientsBefore = (await unary<{ clients: number }>(client, 'GetStatus', {})).clients;

    writeFileSync(configFile, JSON.stringify({ logLevel: 'warn', policy: { commands: { emit: { users: ['*'] } } } }));
    let from = daemon.logs.length;
    daemon.process.kill('SIGHUP');
    // Logged at info, so before the new level (warn) takes effect.
    await loggedLine(daemon, 'reloaded policy and log level', from);
    const allowed = await nobody.call('Call', emitOne);
    assert.equal(allowed.code, 0, `the same connection is allowed now: ${allowed.details}`);
    assert.equal((await unary<{ clients: number }>(client, 'GetStatus', {})).clients, clientsBefore, 'no client was dropped');
    from = daemon.logs.length;
    await nobody.call('Call', emitOne);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!daemon.logs.slice(from).some((l) => l.includes('"level":"info"')), 'the new log level (warn) holds');

    writeFileSync(configFile, JSON.stringify({ logLevel: 'warn', policy: { commands: { emit: { userz: ['*'] } } } }));
    from = daemon.logs.length;
    daemon.process.kill('SIGHUP');
    const refusal = await loggedLine(daemon, 'reload refused', from);
    assert.match(refusal, /policy\.commands\.emit/, 'names the key');
    assert.match(refusal, /userz/);
    const still = await nobody.call('Call', emitOne);
    assert.equal(still.code, 0, 'the policy in force stays');
    assert.equal(daemon.process.exitCode, null, 'the daemon is alive');

    await until(() => `3 events on the stream (seen: ${seqs.join(', ')})`, () => seqs.length >= 3);
    assert.equal(seqs.length, 3, 'the stream saw each event emitted across both reloads');
    assert.equal(streamError, null, 'and was never ended');
  } finally {
    stream.cancel();
    await nobody.close();
    await stop();
  }
});

test('SIGHUP serves changed protoFiles (reflection v1 and v1alpha, health); a .proto that does not load changes nothing, policy included', async () => {
  const { daemon, dir, configFile, stop } = await startStack({ logLevel: 'info', protoFiles: [EXAMPLE_PROTO] }, [], { logLevel: null });
  try {
    const before = await listServices(daemon.socket);
    assert.ok(before.includes('kextbridge.example.v1.Example'));
    assert.ok(!before.includes('kextbridge.counter.v1.Counter'));

    writeFileSync(configFile, JSON.stringify({ logLevel: 'info', protoFiles: [EXAMPLE_PROTO, COUNTER_PROTO] }));
    let from = daemon.logs.length;
    daemon.process.kill('SIGHUP');
    const reloaded = await loggedLine(daemon, 'reloaded the typed API', from);
    assert.match(reloaded, /kextbridge\.counter\.v1\.Counter/);
    for (const version of ['v1', 'v1alpha'] as const) {
      const listed = await listServices(daemon.socket, version);
      assert.ok(listed.includes('kextbridge.counter.v1.Counter') && listed.includes('kextbridge.example.v1.Example'), `${version}: ${listed.join(', ')}`);
    }
    const counterHealth = await unary<{ status: string }>(healthClient(daemon.socket), 'Check', { service: 'kextbridge.counter.v1.Counter' });
    assert.equal(counterHealth.status, 'SERVING', 'the new service is in health, as the link is ready');

    const broken = join(dir, 'broken.proto');
    writeFileSync(broken, 'syntax = "proto3";\npackage broken.v1;\nmessage M { int32 a = 1 }\n');
    writeFileSync(configFile, JSON.stringify({ logLevel: 'info', protoFiles: [broken], policy: { commands: { emit: { users: ['*'] } } } }));
    from = daemon.logs.length;
    daemon.process.kill('SIGHUP');
    const refusal = await loggedLine(daemon, 'reload refused', from);
    assert.match(refusal, /protoFiles: cannot load .*broken\.proto/);
    const after = await listServices(daemon.socket);
    assert.ok(after.includes('kextbridge.counter.v1.Counter'), 'the served API stays');
    const nobody = startUidClient(daemon.socket, NOBODY);
    try {
      assert.equal((await nobody.call('Call', emitOne)).code, 7, 'the policy of the refused reload was not applied');
    } finally {
      await nobody.close();
    }
    assert.equal(daemon.process.exitCode, null, 'the daemon is alive');
  } finally {
    await stop();
  }
});

test('SIGHUP that adds a sha256 program rule: a connection made before it has no hash and is told to reconnect; a new one is hashed and allowed', async () => {
  const { createHash } = await import('node:crypto');
  const { readFileSync } = await import('node:fs');
  const nodeSha = createHash('sha256').update(readFileSync(process.execPath)).digest('hex');
  const { daemon, configFile, stop } = await startStack({ policy: { commands: { emit: { users: ['*'] } } } });
  const before = startUidClient(daemon.socket, NOBODY);
  let after: ReturnType<typeof startUidClient> | undefined;
  try {
    assert.equal((await before.call('Call', emitOne)).code, 0);
    writeFileSync(configFile, JSON.stringify({ protoFiles: [EXAMPLE_PROTO], policy: { commands: { emit: { programs: [{ path: process.execPath, sha256: nodeSha }] } } } }));
    const from = daemon.logs.length;
    daemon.process.kill('SIGHUP');
    await loggedLine(daemon, 'reloaded policy and log level', from);
    const stale = await before.call('Call', emitOne);
    assert.equal(stale.code, 7);
    assert.match(stale.details, /its SHA-256 was not taken when it connected \(no sha256 rule then\): reconnect/);
    after = startUidClient(daemon.socket, NOBODY);
    const fresh = await after.call('Call', emitOne);
    assert.equal(fresh.code, 0, `a new connection is hashed at accept and allowed: ${fresh.details}`);
  } finally {
    await before.close();
    await after?.close();
    await stop();
  }
});
