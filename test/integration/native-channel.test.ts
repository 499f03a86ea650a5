// The native addon against the real kextsim: datagram boundaries, flow
// control, refusal, peer death, credentials, fds and the event loop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

import { KernelChannel } from '@kextbridge/native/internal/channel';
import { peerCredentials } from '@kextbridge/native/internal/peer';
import { systemdListenFds } from '@kextbridge/native/internal/activation';
import { startKextsim, type Kextsim, helloDatagram, frames, frameBytes } from '../support/kextsim';
import { ROOT as root } from '../support/paths';

let sim: Kextsim;

before(async () => {
  sim = await startKextsim(['--recv-size', '8192']);
});
after(async () => {
  await sim.stop();
});

function openChannel(): KernelChannel {
  return KernelChannel.open({ target: sim.socket, maxDatagram: 65536 });
}

async function nextMessage(ch: KernelChannel): Promise<Buffer> {
  const [d] = (await once(ch, 'message')) as [Buffer];
  return d;
}

test('handshake bytes round-trip: HELLO in, WELCOME out', async () => {
  const ch = openChannel();
  assert.equal(ch.send(helloDatagram()), true);
  const d = await nextMessage(ch);
  const [w] = frames(d);
  assert.equal(w?.type, 2, 'a WELCOME frame');
  assert.equal(d.readUInt16LE(0), 0x424b, 'magic');
  assert.equal(w?.payload.readUInt16LE(0), 1, 'protocol version 1');
  ch.close();
});

test('10,000 requests and their responses keep their boundaries', async () => {
  const ch = openChannel();
  ch.send(helloDatagram());
  await nextMessage(ch);
  const n = 10_000;
  const seen = new Set<number>();
  let bad = 0;
  const done = new Promise<void>((res) => {
    ch.on('message', (d) => {
      for (const f of frames(d)) {
        // EchoReply{data} echoes EchoRequest{data}: 0a len "msg-<id>"
        if (f.type !== 4 || f.payload.subarray(2).toString() !== `msg-${f.id}`) bad++;
        seen.add(f.id);
      }
      if (seen.size === n) res();
    });
  });
  let id = 1;
  const pump = (): void => {
    while (id <= n) {
      const body = Buffer.from(`msg-${id}`);
      const dg = frameBytes(3, id, 1, Buffer.concat([Buffer.from([0x0a, body.length]), body]));
      if (!ch.send(dg)) {
        ch.once('drain', pump);
        return;
      }
      id++;
    }
  };
  pump();
  await done;
  assert.equal(bad, 0, 'every response matched its request');
  assert.equal(seen.size, n);
  ch.close();
});

test('reuseBuffers: 10,000 responses arrive whole through one reused buffer, each view good while its listener runs', async () => {
  const ch = KernelChannel.open({ target: sim.socket, maxDatagram: 65536, reuseBuffers: true });
  ch.send(helloDatagram());
  await nextMessage(ch);
  const n = 10_000;
  const seen = new Set<number>();
  let bad = 0;
  const backing = new Set<ArrayBufferLike>();
  const done = new Promise<void>((res) => {
    ch.on('message', (d) => {
      backing.add(d.buffer);
      for (const f of frames(d)) {
        if (f.type !== 4 || f.payload.subarray(2).toString() !== `msg-${f.id}`) bad++;
        seen.add(f.id);
      }
      if (seen.size === n) res();
    });
  });
  // Sent in bursts, so wakes bring many datagrams and the buffer wraps.
  for (let id = 1; id <= n; id++) {
    const body = Buffer.from(`msg-${id}`);
    while (!ch.send(frameBytes(3, id, 1, Buffer.concat([Buffer.from([0x0a, body.length]), body])))) await once(ch, 'drain');
  }
  await done;
  assert.equal(bad, 0, 'every response matched its request');
  assert.equal(backing.size, 1, 'one backing buffer for every datagram');
  ch.close();
});

test('a wake reads 64 KiB, more the longer nothing read the kernel socket (up to 4 MiB), and one datagram more', async () => {
  // The default 2 MiB kext-side buffer: replies pile up while the loop is held.
  const own = await startKextsim([]);
  const ch = KernelChannel.open({ target: own.socket, maxDatagram: 65536, reuseBuffers: true });
  try {
    ch.send(helloDatagram());
    await nextMessage(ch);
    // A wake's datagrams are emitted in one native callback: a microtask
    // queued by its first one runs after its last.
    let wakes: number[] = [];
    // When each wake's first datagram was handed over: nothing read the
    // kernel's buffer for less than the time since the previous one.
    let starts: bigint[] = [];
    let inWake = false;
    let bytes = 0;
    let replies = 0;
    let want = 0;
    let arrived = (): void => {};
    ch.on('message', (d) => {
      if (!inWake) {
        inWake = true;
        wakes.push(0);
        starts.push(process.hrtime.bigint());
        queueMicrotask(() => (inWake = false));
      }
      wakes[wakes.length - 1]! += d.length;
      bytes += d.length;
      replies += frames(d).filter((f) => f.type === 4).length;
      if (replies === want) arrived();
    });
    const data = Buffer.alloc(12_000, 0x5a);
    // EchoRequest{data}: 0a, varint length, data.
    const body = Buffer.concat([Buffer.from([0x0a, 0xe0, 0x5d]), data]);
    let id = 1;
    const ask = async (n: number, pace: boolean): Promise<void> => {
      want += n;
      const all = new Promise<void>((res) => (arrived = res));
      for (const last = id + n; id < last; id++) {
        while (!ch.send(frameBytes(3, id, 1, body))) await once(ch, 'drain');
        // One at a time: the loop is never away long.
        if (pace) await new Promise((res) => setImmediate(res));
      }
      await all;
    };

    // Every request sent, then the loop held 300 ms while the kext
    // answers: what waits when it comes back is read in one wake. (How
    // much waits depends on how many replies were read while the sends
    // waited for room.)
    want = 100;
    const all = new Promise<void>((res) => (arrived = res));
    for (; id <= 100; id++) while (!ch.send(frameBytes(3, id, 1, body))) await once(ch, 'drain');
    const until = Date.now() + 300;
    while (Date.now() < until);
    const readBefore = bytes;
    const firstAfter = wakes.length;
    await all;
    const waiting = bytes - readBefore;
    assert.ok(waiting > 0, 'replies waited through the pause');
    assert.equal(wakes[firstAfter], waiting, `after a 300 ms pause one wake read all ${waiting} bytes that waited`);

    wakes = [];
    starts = [];
    await ask(100, true);
    // 64 KiB and 64 KiB more per 0.5 ms nothing read, and one datagram.
    for (let w = 1; w < wakes.length; w++) {
      const away = Number(starts[w]! - starts[w - 1]!);
      const bound = Math.min(4 << 20, 65536 * (1 + Math.floor(away / 500_000))) + 65536;
      assert.ok(wakes[w]! <= bound, `a wake ${away / 1e6} ms after the one before read ${wakes[w]} bytes (at most ${bound})`);
    }
    assert.equal(replies, 200);
  } finally {
    ch.close();
    await own.stop();
  }
});

test('a full kext side makes send() return false, then drain', async () => {
  // A peer that does not read: a plain SEQPACKET pair through the addon is
  // not available, so stall kextsim's reader by flooding faster than it reads.
  const ch = openChannel();
  ch.send(helloDatagram());
  await nextMessage(ch);
  const big = frameBytes(13, 1, 0, Buffer.alloc(0));
  const burst = Buffer.concat(Array.from({ length: 500 }, () => big));
  let refused = 0;
  for (let i = 0; i < 5000 && refused === 0; i++) if (!ch.send(burst.subarray(0, 16 * 500))) refused++;
  assert.equal(refused, 1, 'send() reported the kext side full');
  await once(ch, 'drain');
  assert.equal(ch.send(helloDatagram()), true, 'sending works again after drain');
  ch.close();
});

test('a second owner is closed at once (EBUSY semantics)', async () => {
  const first = openChannel();
  first.send(helloDatagram());
  await nextMessage(first);
  const second = openChannel();
  const [reason] = (await once(second, 'close')) as [{ code: string }];
  assert.equal(reason.code, 'EOF');
  assert.equal(first.closed, false, 'the owner keeps its channel');
  first.close();
});

test('peer death: close event, then send throws EPIPE', async () => {
  const own = await startKextsim([]);
  const ch = KernelChannel.open({ target: own.socket, maxDatagram: 65536 });
  ch.send(helloDatagram());
  await nextMessage(ch);
  own.process.kill('SIGKILL');
  const [reason] = (await once(ch, 'close')) as [{ code: string; message: string }];
  assert.match(reason.code, /^(EOF|ECONNRESET)$/);
  assert.equal(ch.closed, true);
  assert.throws(() => ch.send(helloDatagram()), (e: Error & { code?: string }) => e.code === 'EPIPE');
  await own.stop();
});

test('a missing kext is ENOENT with what to check', () => {
  assert.throws(
    () => KernelChannel.open({ target: join(tmpdir(), 'kb-none.sock'), maxDatagram: 1024 }),
    (e: Error & { code?: string }) => e.code === 'ENOENT' && /is kextsim running/.test(e.message),
  );
});

test('a non-root client is refused by the privileged control', () => {
  const script = `
    const { KernelChannel } = require(${JSON.stringify(join(root, 'native/dist/channel.js'))});
    const ch = KernelChannel.open({ target: ${JSON.stringify(sim.socket)}, maxDatagram: 65536 });
    ch.on('close', (r) => { console.log(r.code); });
    setTimeout(() => { console.log('still open'); process.exit(1); }, 3000).unref();`;
  const r = spawnSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.stdout.trim(), 'EOF', r.stderr);
});

test('peer credentials of a client running as another uid', async () => {
  const path = join(tmpdir(), `kb-peer-${process.pid}.sock`);
  const server = createServer();
  server.listen(path);
  await once(server, 'listening');
  spawnSync('chmod', ['666', path]);
  const accepted = once(server, 'connection');
  const child: ChildProcess = spawn(
    process.execPath,
    ['-e', `const s=require('net').createConnection(${JSON.stringify(path)}); setTimeout(()=>s.end(), 2000);`],
    { uid: 65534, gid: 65534, stdio: 'ignore' },
  );
  const [sock] = (await accepted) as [import('node:net').Socket];
  const creds = peerCredentials(sock);
  assert.equal(creds.uid, 65534);
  assert.equal(creds.gid, 65534);
  assert.equal(creds.pid, child.pid);
  assert.ok(Array.isArray(creds.groups));
  const mine = createConnection(path);
  const [own] = (await once(server, 'connection')) as [import('node:net').Socket];
  assert.equal(peerCredentials(own).uid, 0, 'root sees itself as root');
  mine.destroy();
  sock.destroy();
  own.destroy();
  child.kill();
  server.close();
});

test('no fd leaks over 200 open/close cycles', async () => {
  const count = (): number => readdirSync('/proc/self/fd').length;
  const before = count();
  for (let i = 0; i < 200; i++) {
    const ch = openChannel();
    ch.close();
    ch.close(); // idempotent
  }
  // Refused connections are closed by kextsim; give its close a tick.
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(count(), before);
});

test('the event loop exits after close()', () => {
  const script = `
    const { KernelChannel } = require(${JSON.stringify(join(root, 'native/dist/channel.js'))});
    const ch = KernelChannel.open({ target: ${JSON.stringify(sim.socket)}, maxDatagram: 65536 });
    ch.on('message', () => {});
    setTimeout(() => ch.close(), 100);`;
  const r = spawnSync(process.execPath, ['-e', script], { timeout: 5000 });
  assert.equal(r.signal, null, 'exited by itself, not killed by the timeout');
  assert.equal(r.status, 0);
});

test('LISTEN_FDS parsing follows the systemd convention', () => {
  assert.deepEqual(systemdListenFds({ LISTEN_PID: '42', LISTEN_FDS: '2' }, 42), { ok: true, fds: [3, 4] });
  const other = systemdListenFds({ LISTEN_PID: '41', LISTEN_FDS: '1' }, 42);
  assert.equal(other.ok, false);
  assert.match(other.ok ? '' : other.error, /meant for another process/);
  const none = systemdListenFds({}, 42);
  assert.match(none.ok ? '' : none.error, /LISTEN_PID and LISTEN_FDS are not set/);
  const bad = systemdListenFds({ LISTEN_PID: '42', LISTEN_FDS: 'x' }, 42);
  assert.match(bad.ok ? '' : bad.error, /LISTEN_FDS must be a count/);
});
