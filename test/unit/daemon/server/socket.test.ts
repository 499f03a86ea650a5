import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listenUnixSocket, type ListenOptions } from 'kextbridged/internal/server/socket';

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kb-sock-'));
  chmodSync(dir, 0o755);
  return dir;
}

function options(path: string, extra: Partial<ListenOptions> = {}): ListenOptions {
  return { path, mode: 0o666, allowAnyUserSocket: false, ...extra };
}

function connects(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

// A socket file with no listener behind it, as a crashed daemon leaves.
async function staleSocketAt(path: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kb-stale-'));
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ path: join(dir, 's') }, resolve));
  linkSync(join(dir, 's'), path);
  await new Promise((resolve) => server.close(resolve));
}

test('creates the directory 0755 and the socket with the configured mode, leaving no temporary files', async () => {
  const base = scratch();
  const path = join(base, 'run', 'kextbridge', 'kb.sock');
  const listener = await listenUnixSocket(options(path));
  try {
    const st = lstatSync(path);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o666);
    assert.equal(statSync(join(base, 'run', 'kextbridge')).mode & 0o777, 0o755);
    assert.deepEqual(readdirSync(join(base, 'run', 'kextbridge')), ['kb.sock']);
    assert.ok(await connects(path));
  } finally {
    listener.close();
  }
  assert.throws(() => lstatSync(path), { code: 'ENOENT' }, 'close removes the socket');

  const restricted = await listenUnixSocket(options(join(base, 'r.sock'), { mode: 0o600 }));
  assert.equal(lstatSync(join(base, 'r.sock')).mode & 0o777, 0o600);
  restricted.close();
});

test('a stale socket is removed and replaced', async () => {
  const dir = scratch();
  const path = join(dir, 'kb.sock');
  await staleSocketAt(path);
  const staleInode = lstatSync(path).ino;
  assert.equal(await connects(path), false);
  const listener = await listenUnixSocket(options(path));
  try {
    assert.notEqual(lstatSync(path).ino, staleInode);
    assert.ok(await connects(path));
  } finally {
    listener.close();
  }
});

test('a live socket refuses a second server, naming the pid when it can', async () => {
  const dir = scratch();
  const path = join(dir, 'kb.sock');
  const first = await listenUnixSocket(options(path));
  try {
    await assert.rejects(listenUnixSocket(options(path)), { name: 'SocketSetupError', message: `another kextbridged is serving ${path}` });
    await assert.rejects(listenUnixSocket(options(path, { peerPidOf: () => 4242 })), { message: `another kextbridged is serving ${path} (pid 4242)` });
    assert.ok(await connects(path), 'the first server is unaffected');
    assert.deepEqual(readdirSync(dir), ['kb.sock'], 'the refused attempts left nothing behind');
  } finally {
    first.close();
  }
});

test('close leaves a successor\'s socket alone', async () => {
  const dir = scratch();
  const path = join(dir, 'kb.sock');
  const first = await listenUnixSocket(options(path));
  first.server.close(); // no longer live, as if it hung in shutdown
  const second = await listenUnixSocket(options(path));
  try {
    first.close();
    assert.ok(await connects(path), "the successor's socket is still there");
  } finally {
    second.close();
  }
});

test('refuses paths it must not or cannot use', async () => {
  const dir = scratch();
  const long = join(dir, 'x'.repeat(110));
  await assert.rejects(listenUnixSocket(options(long)), {
    message: `socketPath is ${Buffer.byteLength(long)} bytes; macOS limits unix socket paths to 104 bytes (103 and a NUL)`,
  });

  const file = join(dir, 'plain');
  writeFileSync(file, 'not a socket');
  await assert.rejects(listenUnixSocket(options(file)), { message: `${file} exists and is not a socket; refusing to replace it` });
  assert.equal(lstatSync(file).isFile(), true, 'the file is untouched');

  const foreign = join(dir, 'foreign');
  mkdirSync(foreign, { mode: 0o755 });
  chownSync(foreign, 65534, 65534);
  await assert.rejects(listenUnixSocket(options(join(foreign, 'kb.sock'))), {
    message:
      `socket directory ${foreign} is owned by uid 65534 with mode 0755; whoever can write it can replace the socket: ` +
      `it must be owned by uid ${process.geteuid!()} and not writable by group or others (--allow-any-user-socket skips this check, for development only)`,
  });
  const openDir = join(dir, 'open');
  mkdirSync(openDir);
  chmodSync(openDir, 0o777);
  await assert.rejects(listenUnixSocket(options(join(openDir, 'kb.sock'))), /is owned by uid 0 with mode 0777/);

  const allowed = await listenUnixSocket(options(join(foreign, 'kb.sock'), { allowAnyUserSocket: true }));
  assert.ok(await connects(join(foreign, 'kb.sock')));
  allowed.close();
});
