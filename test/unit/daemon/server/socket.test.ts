import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, linkSync, lchownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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
      `socket directory ${foreign} is owned by uid 65534 with mode 0755: its owner can rename it away and put their own in its place; ` +
      `it must be owned by uid ${process.geteuid!()} (--allow-any-user-socket skips this check, for development only)`,
  });
  const openDir = join(dir, 'open');
  mkdirSync(openDir);
  chmodSync(openDir, 0o777);
  await assert.rejects(listenUnixSocket(options(join(openDir, 'kb.sock'))), {
    message: `socket directory ${openDir} has mode 0777: any user can write it and so replace the socket; it must not be writable by group or others (--allow-any-user-socket skips this check, for development only)`,
  });

  const allowed = await listenUnixSocket(options(join(foreign, 'kb.sock'), { allowAnyUserSocket: true }));
  assert.ok(await connects(join(foreign, 'kb.sock')));
  allowed.close();
});

// Each directory above the socket's, not just its parent: whoever can
// rename one can put a tree of their own, and their own socket, in its place.
const SKIP = ' (--allow-any-user-socket skips this check, for development only)';

test("refuses a grandparent another user owns, before creating anything under it", async () => {
  const dir = scratch();
  const grand = join(dir, 'grand');
  mkdirSync(grand, { mode: 0o755 });
  chownSync(grand, 65534, 65534);
  const run = join(grand, 'run');
  mkdirSync(run, { mode: 0o755 });
  await assert.rejects(listenUnixSocket(options(join(run, 'kb.sock'))), {
    message: `${grand} (an ancestor of socket directory ${run}) is owned by uid 65534 with mode 0755: its owner can rename it away and put their own in its place; it must be owned by uid 0${SKIP}`,
  });
  const missing = join(grand, 'new', 'run');
  await assert.rejects(listenUnixSocket(options(join(missing, 'kb.sock'))), /an ancestor of socket directory .* is owned by uid 65534/);
  assert.equal(existsSync(join(grand, 'new')), false, 'nothing was created under it');
});

test('refuses a symlinked parent whose link another user owns, and a root link into a directory another user owns', async () => {
  const dir = scratch();
  const real = join(dir, 'real');
  mkdirSync(real, { mode: 0o755 });
  const link = join(dir, 'link');
  symlinkSync(real, link);
  lchownSync(link, 65534, 65534);
  await assert.rejects(listenUnixSocket(options(join(link, 'kb.sock'))), {
    message: `${link} (on the way to socket directory ${link}) is a symlink owned by uid 65534: its owner can point it elsewhere, and so replace the socket${SKIP}`,
  });
  // A root-owned link is followed, and where it points is checked.
  const theirs = join(dir, 'theirs');
  mkdirSync(theirs, { mode: 0o755 });
  chownSync(theirs, 65534, 65534);
  const rootLink = join(dir, 'root-link');
  symlinkSync(theirs, rootLink);
  await assert.rejects(listenUnixSocket(options(join(rootLink, 'kb.sock'))), { message: `socket directory ${theirs} is owned by uid 65534 with mode 0755: its owner can rename it away and put their own in its place; it must be owned by uid 0${SKIP}` });
  const good = join(dir, 'good-link');
  symlinkSync(real, good);
  const l = await listenUnixSocket(options(join(good, 'kb.sock')));
  assert.ok(await connects(join(real, 'kb.sock')), "a root link to a root directory is fine");
  l.close();
});

test('refuses a world-writable ancestor that is not sticky, and a sticky one as the socket directory itself', async () => {
  const dir = scratch();
  const open = join(dir, 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  const run = join(open, 'run');
  mkdirSync(run, { mode: 0o755 });
  await assert.rejects(listenUnixSocket(options(join(run, 'kb.sock'))), {
    message: `${open} (an ancestor of socket directory ${run}) has mode 0777: any user can write it and so rename what lies below it; it must not be writable by group or others, or be sticky (like /tmp)${SKIP}`,
  });
  chmodSync(open, 0o775);
  await assert.rejects(listenUnixSocket(options(join(run, 'kb.sock'))), /has mode 0775: group 0 can write it/);
  const sticky = join(dir, 'sticky');
  mkdirSync(sticky);
  chmodSync(sticky, 0o1777);
  await assert.rejects(listenUnixSocket(options(join(sticky, 'kb.sock'))), { message: `socket directory ${sticky} has mode 01777: any user can write it and so replace the socket; it must not be writable by group or others${SKIP}` });
  // Below a sticky directory, the entry must be root's: here it is nobody's.
  const below = join(sticky, 'x');
  mkdirSync(below, { mode: 0o755 });
  chownSync(below, 65534, 65534);
  await assert.rejects(listenUnixSocket(options(join(below, 'kb.sock'))), /socket directory .*\/sticky\/x is owned by uid 65534/);
});

test('/tmp/x, root\'s under the sticky /tmp, is accepted', async () => {
  assert.equal(statSync('/tmp').mode & 0o1777, 0o1777, 'this machine\'s /tmp is sticky and world-writable');
  const x = mkdtempSync('/tmp/kb-x-');
  try {
    chmodSync(x, 0o755);
    const l = await listenUnixSocket(options(join(x, 'kb.sock')));
    assert.ok(await connects(join(x, 'kb.sock')));
    l.close();
  } finally {
    rmSync(x, { recursive: true, force: true });
  }
});
