// Calls under load: the in-flight window and the wait queue hold exactly
// what they are configured to (the puppet kext holds requests until told),
// a kext killed with 50 calls outstanding ends every one within 100 ms and
// is served again when back, and deadlines and client cancels reach the
// real kextsim as CANCEL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceError } from '@grpc/grpc-js';

import { FrameType, encodeFrame } from 'kextbridged/internal/wire/index';
import { loadSchema } from '@kextbridge/protocol';
import { startKextsim } from '../support/kextsim';
import { bridgeClient, healthClient, startDaemon, unary, type Client, type Daemon } from '../support/daemon';
import { startPuppet, welcomeDatagram, type Puppet } from '../support/puppet-kext';
import { until } from '../support/wait';
import { ROOT as root } from '../support/paths';

const example = loadSchema([join(root, 'proto/example/v1/example.proto')]);
const EmitRequest = example.lookupType('kextbridge.example.v1.EmitRequest');
const StatsReply = example.lookupType('kextbridge.example.v1.StatsReply');

interface Counters {
  callsInflight: string;
  callsQueued: string;
  cancelsSent: string;
}

async function withDaemon(kextSocket: string, config: object, body: (daemon: Daemon, client: Client) => Promise<void>, starting?: Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kb-load-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const started = startDaemon(kextSocket, ['--config', file]);
  await starting;
  const daemon = await started;
  const client = bridgeClient(daemon.socket);
  try {
    await body(daemon, client);
  } finally {
    client.close();
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const counters = async (client: Client): Promise<Counters> => (await unary<{ counters: Counters }>(client, 'GetStatus', {})).counters;

async function waitFor(client: Client, ok: (c: Counters) => boolean, what: string): Promise<Counters> {
  let c = await counters(client);
  await until(() => `${what}: ${JSON.stringify(c)}`, async () => ok((c = await counters(client))));
  return c;
}

interface Outcome {
  code: number;
  details: string;
  payload?: Buffer;
  at: number;
}

const outcome = (p: Promise<{ payload: Buffer }>): Promise<Outcome> =>
  p.then(
    (r) => ({ code: 0, details: '', payload: r.payload, at: Date.now() }),
    (e: ServiceError) => ({ code: e.code, details: e.details, at: Date.now() }),
  );

const echo = (client: Client, text: string, deadlineMs = 20_000): Promise<Outcome> =>
  outcome(unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'echo' }, payload: Buffer.from(text) }, deadlineMs));

// The next n REQUEST frames the daemon sends the puppet.
async function requests(puppet: Puppet, n: number): Promise<Array<{ id: number }>> {
  const out: Array<{ id: number }> = [];
  while (out.length < n) for (const f of await puppet.nextFrames()) if (f.type === FrameType.REQUEST) out.push(f);
  return out;
}

test('the in-flight window and the wait queue take exactly their size; the rest are refused at once; the queued run as slots free', async () => {
  const puppet = await startPuppet();
  try {
    await withDaemon(
      puppet.socket,
      { limits: { maxQueued: 3 } },
      async (_daemon, client) => {
        const taken = Array.from({ length: 7 }, (_, i) => echo(client, `call ${i}`));
        const first = await requests(puppet, 4);
        await waitFor(client, (c) => c.callsInflight === '4' && c.callsQueued === '3', 'four at the kext (its max_inflight), three queued');
        const t0 = Date.now();
        const refused = await Promise.all([echo(client, 'x'), echo(client, 'y'), echo(client, 'z')]);
        for (const r of refused) {
          assert.equal(r.code, 8, r.details);
          assert.match(r.details, /4 calls in flight and 3 queued \(limits\.maxQueued\)/);
          assert.ok(r.at - t0 < 1000, 'refused at once, not after a wait');
        }
        // Answering the four lets the three queued through, and no more.
        for (const { id } of first) puppet.send(encodeFrame(FrameType.RESPONSE, 0, id, 0, Buffer.from(`answer ${id}`)));
        const rest = await requests(puppet, 3);
        for (const { id } of rest) puppet.send(encodeFrame(FrameType.RESPONSE, 0, id, 0, Buffer.from(`answer ${id}`)));
        const done = await Promise.all(taken);
        assert.deepEqual(
          done.map((d) => d.code),
          [0, 0, 0, 0, 0, 0, 0],
        );
        const ids = [...first, ...rest].map((r) => `answer ${r.id}`).sort();
        assert.deepEqual(done.map((d) => d.payload!.toString()).sort(), ids, 'each call got the answer to its own request');
        const idle = await counters(client);
        assert.equal(idle.callsInflight, '0');
        assert.equal(idle.callsQueued, '0');
      },
      puppet.handshake(welcomeDatagram({ maxInflight: 4 })),
    );
  } finally {
    await puppet.stop();
  }
});

test('the kext killed with 50 calls outstanding: every call ends UNAVAILABLE within 100 ms; the kext back means SERVING again', async (t) => {
  const puppet = await startPuppet();
  let back: Puppet | undefined;
  try {
    await withDaemon(
      puppet.socket,
      { kext: { reconnectMinMs: 10, reconnectMaxMs: 50 } },
      async (daemon, client) => {
        const calls = Array.from({ length: 50 }, (_, i) => echo(client, `call ${i}`, 60_000));
        await requests(puppet, 16);
        await waitFor(client, (c) => c.callsInflight === '16' && c.callsQueued === '34', 'all 50 outstanding');
        puppet.process.kill('SIGKILL');
        const killedAt = Date.now();
        const ends = await Promise.all(calls);
        const slowest = Math.max(...ends.map((e) => e.at)) - killedAt;
        for (const e of ends) {
          assert.equal(e.code, 14, e.details);
          assert.match(e.details, /kext link down/);
        }
        t.diagnostic(`the last of 50 calls ended ${slowest} ms after the kill`);
        assert.ok(slowest <= 100, `the last call ended ${slowest} ms after the kill`);

        back = await startPuppet(puppet.socket);
        await back.handshake();
        const health = healthClient(daemon.socket);
        try {
          await until('health SERVING', async () => (await unary<{ status: string }>(health, 'Check', { service: '' })).status === 'SERVING', 5000);
          const again = echo(client, 'again');
          const [req] = await requests(back, 1);
          back.send(encodeFrame(FrameType.RESPONSE, 0, req!.id, 0, Buffer.from('back')));
          assert.equal((await again).payload?.toString(), 'back');
        } finally {
          health.close();
        }
      },
      puppet.handshake(welcomeDatagram({ maxInflight: 16 })),
    );
  } finally {
    await back?.stop();
    await puppet.stop();
  }
});

test('a deadline and a client cancel each reach the kext as CANCEL', async () => {
  const sim = await startKextsim([]);
  try {
    await withDaemon(sim.socket, {}, async (_daemon, client) => {
      const cancels = async (): Promise<number> => {
        const r = await unary<{ payload: Buffer }>(client, 'Call', { command: { name: 'stats' } });
        return Number((StatsReply.toObject(StatsReply.decode(r.payload), { longs: Number }) as { cancels?: number }).cancels ?? 0);
      };
      // Heartbeats at 100/s for 100 s: the call stays with the kext until cancelled.
      const slowEmit = Buffer.from(EmitRequest.encode({ topic: 2, count: 10_000, ratePerSec: 100 }).finish());
      const before = await cancels();
      const beforeSent = Number((await counters(client)).cancelsSent);

      const expired = await outcome(unary(client, 'Call', { command: { name: 'emit' }, payload: slowEmit }, 300));
      assert.equal(expired.code, 4, expired.details);
      // The kext runs one emit at a time: wait for it to confirm the cancel.
      await waitFor(client, (c) => c.callsInflight === '0' && Number(c.cancelsSent) === beforeSent + 1, 'the expired call cancelled at the kext');

      // The example kext frees its emit worker a moment after it confirms a
      // cancel, so the next emit may be refused (FAILED_PRECONDITION) until then.
      const start = async (): Promise<{ cancel(): void }> => {
        let running: { cancel(): void } | undefined;
        await until('the kext to run a second emit', async () => {
          let refused = false;
          const call = (client as unknown as { Call(r: unknown, cb: (e: ServiceError | null) => void): { cancel(): void } }).Call(
            { command: { name: 'emit' }, payload: slowEmit },
            (e) => (refused = e?.code === 9),
          );
          await until('the second call to reach the kext', async () => refused || (await counters(client)).callsInflight === '1');
          // In flight and still not refused a while later: the emit runs.
          if (!refused) await new Promise((r) => setTimeout(r, 100));
          if (!refused) running = call;
          return running !== undefined;
        }, 20_000);
        return running!;
      };
      const call = await start();
      call.cancel();
      await waitFor(client, (c) => c.callsInflight === '0' && Number(c.cancelsSent) === beforeSent + 2, 'the cancelled call cancelled at the kext');
      assert.equal(await cancels(), before + 2, 'the kext counted both CANCELs');
    });
  } finally {
    await sim.stop();
  }
});
