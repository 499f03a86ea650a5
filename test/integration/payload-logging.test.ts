// Payloads are what clients and the kext exchange, secrets included: below
// debug the daemon's log holds their length at most, never their bytes; at
// debug each call and reply is logged with its payload as base64, so a
// SIGHUP to debug is enough to see what crosses the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadSchema } from '@kextbridge/protocol';
import { loggedLine, unary } from '../support/daemon';
import { startStack } from '../support/stack';
import { ROOT as root } from '../support/paths';

const EchoRequest = loadSchema([join(root, 'proto/example/v1/example.proto')]).lookupType('kextbridge.example.v1.EchoRequest');
// echo answers an EchoReply that encodes like its EchoRequest: same bytes back.
const echoOf = (data: Buffer): Buffer => Buffer.from(EchoRequest.encode({ data }).finish());

test('call payloads stay out of the log below debug and appear as base64 at debug', async () => {
  const { daemon, client, configFile, stop } = await startStack({ logLevel: 'info' }, [], { logLevel: null });
  // Distinct per run so no other line can contain it by chance.
  const secretText = `kb-secret-${process.pid}-${Date.now()}`;
  const secret = echoOf(Buffer.from(secretText));
  const asBase64 = secret.toString('base64');
  try {
    const atInfo = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'echo' }, payload: secret });
    assert.deepEqual(Buffer.from(atInfo.payload), secret, 'echo answers with the payload');
    // Logged as something (the call's audit or link lines) but never the bytes.
    assert.ok(daemon.logs.length > 0, 'the daemon logs at info');
    const leaked = daemon.logs.filter((l) => l.includes(secretText) || l.includes(asBase64));
    assert.deepEqual(leaked, [], 'no payload bytes in the log at info');

    writeFileSync(configFile, JSON.stringify({ logLevel: 'debug' }));
    const from = daemon.logs.length;
    daemon.process.kill('SIGHUP');
    await loggedLine(daemon, 'reloaded policy and log level', from);
    const atDebug = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'echo' }, payload: secret });
    assert.deepEqual(Buffer.from(atDebug.payload), secret);
    const sent = JSON.parse(await loggedLine(daemon, '"msg":"call to the kext"', from)) as { type: string; payload: { bytes: number; base64: string } };
    assert.equal(sent.type, 'REQUEST');
    assert.deepEqual(sent.payload, { bytes: secret.length, base64: asBase64 });
    const reply = JSON.parse(await loggedLine(daemon, '"msg":"reply from the kext"', from)) as { status: number; payload: { bytes: number; base64: string } };
    assert.equal(reply.status, 0);
    assert.deepEqual(reply.payload, { bytes: secret.length, base64: asBase64 });

    // Large payloads are cut so one call cannot flood the log.
    const big = echoOf(Buffer.alloc(4000, 0x61));
    await unary(client, 'Call', { command: { name: 'echo' }, payload: big });
    const bigLine = await loggedLine(daemon, `"bytes":${big.length}`, from);
    const bigSent = JSON.parse(bigLine) as { payload: { bytes: number; base64: string; truncated?: boolean } };
    assert.equal(bigSent.payload.truncated, true);
    assert.equal(Buffer.from(bigSent.payload.base64, 'base64').length, 256);
  } finally {
    await stop();
  }
});
