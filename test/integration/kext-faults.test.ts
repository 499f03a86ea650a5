// A kext that breaks the protocol, played by the puppet kext: every kind of
// malformed datagram resets the link and is counted, a RESPONSE nobody
// asked for is counted and dropped, a kext that speaks another protocol
// version leaves the daemon NOT_SERVING with the reason, a WELCOME whose
// catalog cannot be trusted is refused with the reason, malformed EVENT,
// LOSS and UPCALL payloads are counted or refused without a reset, and
// through all of it the daemon stays up and serves again once the kext
// behaves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceError } from '@grpc/grpc-js';

import { FrameType, GoodbyeReason, encodeFrame } from 'kextbridged/internal/wire/index';
import { encodeEvent } from '../support/kext-wire';
import { bridgeClient, healthClient, startDaemon, unary, type Client, type Daemon } from '../support/daemon';
import { startPuppet, welcomeDatagram, type Puppet } from '../support/puppet-kext';
import { until } from '../support/wait';

interface Status {
  linkState: string;
  linkDetail: string;
  linkGeneration: string;
  counters: { malformedFromKext: string; linkResets: string; responsesUnknownId: string; malformedEvents: string };
}

let dir: string;
let puppet: Puppet;
let daemon: Daemon;
let client: Client;
let health: Client;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kb-faults-'));
  const config = join(dir, 'config.json');
  // Reconnect quickly after each reset; the default backoff would slow the test, not change it.
  writeFileSync(config, JSON.stringify({ kext: { reconnectMinMs: 10, reconnectMaxMs: 200 } }));
  puppet = await startPuppet();
  const starting = startDaemon(puppet.socket, ['--config', config]);
  await puppet.handshake();
  daemon = await starting;
  client = bridgeClient(daemon.socket);
  health = healthClient(daemon.socket);
});

after(async () => {
  client.close();
  health.close();
  await daemon.stop();
  await puppet.stop();
  rmSync(dir, { recursive: true, force: true });
});

const status = (): Promise<Status> => unary<Status>(client, 'GetStatus', {});

async function waitForState(state: string): Promise<Status> {
  let s = await status();
  await until(() => `the link to reach ${state} (now ${s.linkState}: ${s.linkDetail})`, async () => (s = await status()).linkState === state);
  return s;
}

const servingStatus = async (): Promise<string> => (await unary<{ status: string }>(health, 'Check', { service: '' })).status;

function header(type: number, flags: number, length: number, magic = 0x424b): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16LE(magic, 0);
  h.writeUInt8(type, 2);
  h.writeUInt8(flags, 3);
  h.writeUInt32LE(7, 4);
  h.writeUInt32LE(0, 8);
  h.writeUInt32LE(length, 12);
  return h;
}

const MALFORMED: Array<[string, Buffer]> = [
  ['a datagram shorter than a frame header', Buffer.from([0x4b, 0x42, 0x04])],
  ['a wrong magic', header(FrameType.RESPONSE, 0, 0, 0xdead)],
  ['a length past the end of the datagram', Buffer.concat([header(FrameType.RESPONSE, 0, 100), Buffer.alloc(10)])],
  ['an unknown frame type', header(0x3f, 0, 0)],
  ['unknown flag bits', header(FrameType.RESPONSE, 0x80, 0)],
  ['a second WELCOME', welcomeDatagram()],
];

for (const [what, datagram] of MALFORMED) {
  test(`${what} from the kext resets the link, counted; the daemon reconnects and serves`, async () => {
    const before = await waitForState('LINK_STATE_READY');
    puppet.send(datagram);
    await puppet.next('closed');
    await puppet.handshake();
    const after = await waitForState('LINK_STATE_READY');
    assert.equal(Number(after.counters.malformedFromKext), Number(before.counters.malformedFromKext) + 1, 'counted as malformed once');
    assert.equal(Number(after.counters.linkResets), Number(before.counters.linkResets) + 1, 'one reset');
    assert.equal(Number(after.linkGeneration), Number(before.linkGeneration) + 1, 'a new session');
    assert.equal(await servingStatus(), 'SERVING');
    assert.equal(daemon.process.exitCode, null, 'the daemon is alive');
  });
}

// WELCOMEs whose catalog the daemon must refuse, made from a good one by
// changing bytes: the first entry starts after the frame header (16), the
// fixed WELCOME fields (20) and the identity and version strings.
const FIRST_ENTRY = 16 + 20 + 1 + 'org.test.puppet'.length + 1 + '1'.length;
const SECOND_ENTRY = FIRST_ENTRY + 32 + 'echo'.length;
function badWelcome(patch: (b: Buffer) => void): Buffer {
  const b = Buffer.from(welcomeDatagram());
  patch(b);
  return b;
}
const BAD_CATALOGS: Array<[string, Buffer, RegExp]> = [
  ['an entry of an unknown kind', badWelcome((b) => (b[FIRST_ENTRY] = 9)), /kind/],
  ['unknown entry flags', badWelcome((b) => (b[FIRST_ENTRY + 1] = 0x80)), /flag/],
  ['two commands with one id', badWelcome((b) => (b[SECOND_ENTRY] = 1)), /twice/],
  ['a name longer than any name may be', badWelcome((b) => (b[SECOND_ENTRY + 3] = 200)), /entry 1 name is 200 bytes, must be 1\.\.63/],
  ['more entries announced than sent', badWelcome((b) => b.writeUInt16LE(3, 16 + 2)), /entry 2 of 3 runs past the end/],
  ['a value type on a command', badWelcome((b) => (b[FIRST_ENTRY + 2] = 2)), /value type/],
];

for (const [what, welcome, reason] of BAD_CATALOGS) {
  test(`a WELCOME with ${what} is refused with the reason and counted; a good kext is served next`, async () => {
    const before = await waitForState('LINK_STATE_READY');
    puppet.send(encodeFrame(FrameType.GOODBYE, 0, 0, GoodbyeReason.UNLOAD, Buffer.from('reloading')));
    await puppet.next('closed');
    const from = daemon.logs.length;
    await puppet.handshake(welcome);
    await puppet.next('closed');
    const said = (): boolean => daemon.logs.slice(from).some((l) => /WELCOME|catalog/i.test(l) && reason.test(l));
    await until('the log says why', said, 3000).catch(() => assert.fail(`the log does not say why: ${daemon.logs.slice(from).join('\n').slice(0, 2000)}`));
    await puppet.handshake();
    const after = await waitForState('LINK_STATE_READY');
    assert.ok(Number(after.counters.malformedFromKext) > Number(before.counters.malformedFromKext), 'counted as malformed');
    assert.equal(await servingStatus(), 'SERVING');
    assert.equal(daemon.process.exitCode, null, 'the daemon is alive');
  });
}

test('malformed EVENT and LOSS payloads are counted and skipped, an UPCALL too short for its head is refused; the link stays up', async () => {
  const before = await waitForState('LINK_STATE_READY');
  const beforeEvents = await unary<{ counters: { malformedEvents: string } }>(client, 'GetStatus', {});
  puppet.send(encodeFrame(FrameType.EVENT, 0, 0, 1, Buffer.alloc(5)));
  puppet.send(encodeFrame(FrameType.LOSS, 0, 0, 1, Buffer.alloc(7)));
  puppet.send(encodeFrame(FrameType.UPCALL, 0, 77, 1, Buffer.alloc(3)));
  const [reply] = await puppet.nextFrames();
  assert.deepEqual([reply!.type, reply!.id, reply!.code], [FrameType.UPCALL_REPLY, 77, 3], 'the short UPCALL is answered INVALID_ARGUMENT, so the kext applies its default at once');
  const after = await unary<{ linkGeneration: string; counters: { malformedEvents: string } }>(client, 'GetStatus', {});
  assert.equal(Number(after.counters.malformedEvents), Number(beforeEvents.counters.malformedEvents) + 2, 'the EVENT and the LOSS, counted');
  assert.equal(after.linkGeneration, before.linkGeneration, 'no reset');
  const echoed = unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'echo' }, payload: Buffer.from('still') });
  const [request] = await puppet.nextFrames();
  puppet.send(encodeFrame(FrameType.RESPONSE, 0, request!.id, 0, Buffer.from('here')));
  assert.deepEqual((await echoed).payload, Buffer.from('here'), 'the next good frame is served');
});

test('a RESPONSE for an id nobody asked is counted and dropped; the link stays up and calls work', async () => {
  const before = await waitForState('LINK_STATE_READY');
  puppet.send(encodeFrame(FrameType.RESPONSE, 0, 0xfffff, 0, Buffer.from('stray')));
  const answered = unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'echo' }, payload: Buffer.from('ping') });
  const [request] = await puppet.nextFrames();
  assert.equal(request!.type, FrameType.REQUEST);
  assert.equal(request!.code, 1, 'the echo command');
  puppet.send(encodeFrame(FrameType.RESPONSE, 0, request!.id, 0, Buffer.from('pong')));
  assert.deepEqual((await answered).payload, Buffer.from('pong'));
  const after = await status();
  assert.equal(Number(after.counters.responsesUnknownId), Number(before.counters.responsesUnknownId) + 1);
  assert.equal(after.linkGeneration, before.linkGeneration, 'no reset');
  assert.equal(after.counters.malformedFromKext, before.counters.malformedFromKext);
});

async function refusedCall(): Promise<{ err: ServiceError; ms: number }> {
  const t0 = Date.now();
  const err = await unary(client, 'Call', { command: { name: 'echo' } }).then(
    () => assert.fail('a call succeeded without a usable kext'),
    (e: ServiceError) => e,
  );
  return { err, ms: Date.now() - t0 };
}

test('a kext that speaks another protocol version: INCOMPATIBLE with the reason, NOT_SERVING, calls refused at once; a good kext is served again', async () => {
  await waitForState('LINK_STATE_READY');
  puppet.send(encodeFrame(FrameType.GOODBYE, 0, 0, GoodbyeReason.UNLOAD, Buffer.from('upgrading')));
  await puppet.next('closed');
  await puppet.handshake(welcomeDatagram({ version: 9 }));
  const s = await waitForState('LINK_STATE_INCOMPATIBLE');
  assert.match(s.linkDetail, /version/i);
  assert.equal(await servingStatus(), 'NOT_SERVING');
  const { err, ms } = await refusedCall();
  assert.equal(err.code, 14);
  assert.match(err.details, /version|incompatible/i, err.details);
  assert.ok(ms < 1000, `refused after ${ms} ms`);
  // The daemon tries again (after its longest backoff) and a kext that
  // speaks version 1 is served.
  await puppet.next('closed');
  await puppet.handshake();
  await waitForState('LINK_STATE_READY');
  assert.equal(await servingStatus(), 'SERVING');
});

test('GOODBYE(VERSION) from the kext is told as incompatible, not retried in a loop', async () => {
  await waitForState('LINK_STATE_READY');
  puppet.send(encodeFrame(FrameType.GOODBYE, 0, 0, GoodbyeReason.VERSION, Buffer.from('kext speaks 2..3')));
  const s = await waitForState('LINK_STATE_INCOMPATIBLE');
  assert.match(s.linkDetail, /kext speaks 2\.\.3/);
  const { err } = await refusedCall();
  assert.equal(err.code, 14);
  await puppet.next('closed');
  await puppet.handshake();
  await waitForState('LINK_STATE_READY');
});

test('a subscriber lives through a link reset: told the link went and came back and what the kext missed meanwhile, then events continue with seqs that keep growing', async () => {
  await waitForState('LINK_STATE_READY');
  type Item = { event?: { seq: string; payload: Buffer }; lost?: { firstSeq: string; lastSeq: string; source: string }; link?: { state: string } };
  const stream = client.Subscribe!({ topics: [{ name: 'exec' }] }) as NodeJS.EventEmitter & { cancel(): void };
  const items: Item[] = [];
  stream.on('data', (b: { items: Item[] }) => items.push(...b.items));
  stream.on('error', () => undefined);
  const subscribed = async (): Promise<void> => {
    for (;;) {
      const f = (await puppet.nextFrames()).find((x) => x.type === FrameType.SUBSCRIBE);
      if (f) return;
    }
  };
  const received = (n: number): Promise<void> => until(() => `${n} items (got ${JSON.stringify(items)})`, () => items.length >= n);
  const event = (seq: number, text: string): Buffer => Buffer.from(encodeFrame(FrameType.EVENT, 0, 0, 1, encodeEvent(seq, 0n, Buffer.from(text))));
  try {
    await subscribed();
    puppet.send(Buffer.concat([event(1, 'one'), event(2, 'two')]));
    await received(2);
    puppet.send(header(0x3f, 0, 0));
    await puppet.next('closed');
    await puppet.handshake();
    // The new session starts with no topics wanted: the daemon says again which.
    await subscribed();
    // Kernel seqs restart at 1 on a new connection; the kext tells what it
    // published while the link was down as a LOSS of the session's first seqs.
    const missed = Buffer.alloc(24);
    missed.writeBigUInt64LE(2n, 0);
    missed.writeBigUInt64LE(1n, 8);
    missed.writeBigUInt64LE(2n, 16);
    puppet.send(Buffer.concat([Buffer.from(encodeFrame(FrameType.LOSS, 0, 0, 1, missed)), event(3, 'three')]));
    await received(6);
    const seen = items.map((i) =>
      i.event ? `${i.event.seq}:${i.event.payload.toString()}` : i.lost ? `lost ${i.lost.firstSeq}-${i.lost.lastSeq}:${i.lost.source}` : `link:${i.link?.state}`,
    );
    assert.deepEqual(
      seen.filter((s) => !s.startsWith('link:')),
      ['1:one', '2:two', 'lost 3-4:LOSS_SOURCE_LINK', '5:three'],
      'seqs keep growing across sessions, the outage told as the link\'s loss',
    );
    // A kext that repeats a seq or goes back: those events are dropped
    // and counted; two events never share a daemon seq.
    const malformed = Number((await status()).counters.malformedEvents);
    puppet.send(Buffer.concat([event(3, 'again'), event(2, 'back'), event(4, 'four')]));
    await received(7);
    assert.equal(items.at(-1)?.event?.payload.toString(), 'four');
    assert.equal(items.at(-1)?.event?.seq, '6', 'the next seq, after the ones dropped');
    assert.ok(!items.some((i) => ['again', 'back'].includes(i.event?.payload.toString() ?? '')), 'the repeated and the backward events are not forwarded');
    assert.equal(Number((await status()).counters.malformedEvents), malformed + 2);
    const down = seen.findIndex((s) => s === 'link:LINK_STATE_CONNECTING');
    const up = seen.findIndex((s) => s === 'link:LINK_STATE_READY');
    assert.ok(down > 1 && up > down && up < seen.indexOf('5:three'), `told down, then up, between the events: ${seen.join(' ')}`);
    const counters = (await status()).counters as unknown as { lostLink: string };
    assert.equal(counters.lostLink, '2');
  } finally {
    stream.cancel();
  }
});
