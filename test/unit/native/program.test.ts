// native/lib/program.ts ProgramIdentities: the connecting program read
// through the addon, and each file version hashed once (keyed by device,
// inode, size, mtime and ctime), shared by the connections that wait.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { binding, type NativeProgram } from '@kextbridge/native/internal/binding';
import { socketFd } from '@kextbridge/native/internal/peer';
import { ProgramIdentities, sha256OfFd } from '@kextbridge/native/internal/program';

const dir = mkdtempSync(join(tmpdir(), 'kb-program-'));
const file = join(dir, 'exe');
writeFileSync(file, 'program bytes');
const sha = createHash('sha256').update('program bytes').digest('hex');
after(() => rmSync(dir, { recursive: true, force: true }));

function fake(version: string): (fd: number) => NativeProgram {
  return () => ({ uid: 1, gid: 1, pid: 42, pinnedBy: 'SO_PEERPIDFD', path: '/bin/agent', dev: 1, ino: 2, size: 13, mtimeNs: version, ctimeNs: version, exeFd: openSync(file, 'r') });
}

test('a hash is taken once per file version and shared by waiting connections', async () => {
  let hashes = 0;
  let version = '1';
  const ids = new ProgramIdentities({ read: (fd) => fake(version)(fd), hashFd: (fd) => (hashes++, sha256OfFd(fd)) });
  const a = ids.of(3, true);
  const b = ids.of(3, true);
  assert.ok(a instanceof Promise && b instanceof Promise);
  assert.deepEqual(await a, { pid: 42, path: '/bin/agent', sha256: sha });
  assert.equal((await b).sha256, sha);
  assert.equal(hashes, 1);
  const cached = ids.of(3, true);
  assert.ok(!(cached instanceof Promise), 'a known version: at once');
  version = '2';
  await ids.of(3, true);
  assert.equal(hashes, 2, 'a changed mtime/ctime is a new version');
  assert.deepEqual(ids.of(3, false), { pid: 42, path: '/bin/agent' }, 'no hash asked: none taken');
});

test('one uid may have only so many distinct executables being hashed at once; others are not held up', async () => {
  let ino = 0;
  const read = (uid: number) => (fd: number): NativeProgram => ({ ...fake('1')(fd), uid, ino: ++ino });
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  let reader = read(1001);
  const ids = new ProgramIdentities({ maxHashingPerUid: 2, read: (fd) => reader(fd), hashFd: async (fd) => (await gate, sha256OfFd(fd)) });
  const a = ids.of(3, true);
  const b = ids.of(3, true);
  assert.throws(() => ids.of(3, true), /uid 1001 already has 2 executables being hashed; \/bin\/agent is not hashed until one is done/);
  reader = read(0);
  const root = ids.of(3, true);
  release();
  await Promise.all([a, b, root]);
  reader = read(1001);
  assert.equal((await ids.of(3, true)).sha256, sha, 'room again once they are done');
});

test('a failed hash rejects, naming the file, and is not cached', async () => {
  let fail = true;
  const ids = new ProgramIdentities({ read: fake('1'), hashFd: async (fd) => (fail ? Promise.reject(new Error('EIO')) : sha256OfFd(fd)) });
  await assert.rejects(Promise.resolve(ids.of(3, true)), /cannot hash the peer's executable \/bin\/agent: EIO/);
  fail = false;
  assert.equal((await ids.of(3, true)).sha256, sha);
});

test('the addon reads this very process on both ways of pinning it', async () => {
  const path = join(dir, 's');
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(path, r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const client = net.connect(path);
  const socket = await accepted;
  try {
    const ids = new ProgramIdentities();
    for (const viaPidfdOpen of [false, true]) {
      const p = await ids.of(socket, true, viaPidfdOpen);
      assert.equal(p.pid, process.pid);
      assert.equal(p.path, process.execPath);
      assert.match(p.sha256 ?? '', /^[0-9a-f]{64}$/);
    }
    assert.equal(ids.hashed, 1, 'the same executable twice: one hash');
  } finally {
    client.destroy();
    socket.destroy();
    server.close();
  }
});

test('a peer that names itself like a /proc/PID/stat line does not confuse the start-time check', async () => {
  const path = join(dir, 't');
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(path, r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  // The comm field (what /proc/PID/stat shows in parentheses) is the
  // process's own choice: ") R 1 1 1" would shift every later field if the
  // parser stopped at the first ')'.
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', `process.title = 'x) R 1 1 1 9'; require('node:net').connect(${JSON.stringify(path)}); setInterval(() => {}, 1000);`], { stdio: 'ignore' });
  const socket = await accepted;
  try {
    const { readFileSync } = await import('node:fs');
    assert.match(readFileSync(`/proc/${child.pid}/stat`, 'utf8'), /\(x\) R 1 1 1 9\)/, 'the title reached comm');
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    // Field 22, counted from after the last ')' (field 3 is the first there).
    const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3]);
    const found = binding.peerProgram!(socketFd(socket), true);
    closeSync(found.exeFd);
    assert.equal(found.pinnedBy, 'pidfd_open');
    assert.equal(found.startTicks, startTicks);
    assert.equal(found.pid, child.pid);
    assert.equal(found.path, process.execPath);
  } finally {
    child.kill('SIGKILL');
    socket.destroy();
    server.close();
  }
});

test('a peer that is gone by the time it is read is refused, on both ways of pinning it, never guessed', async () => {
  const path = join(dir, 'gone');
  // Not read from: node would read the EOF and close the socket.
  const server = net.createServer({ pauseOnConnect: true });
  await new Promise<void>((r) => server.listen(path, r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const { spawn } = await import('node:child_process');
  // Connects, then exits with the connection still queued on our side.
  const child = spawn(process.execPath, ['-e', `require('node:net').connect(${JSON.stringify(path)}, () => process.exit(0));`], { stdio: 'ignore' });
  const socket = await accepted;
  const fd = socketFd(socket);
  await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
  try {
    assert.throws(() => binding.peerProgram!(fd, false), /the peer process exited before its executable was read \(ESRCH/);
    assert.throws(() => binding.peerProgram!(fd, true), /the peer process is gone \(ESRCH/);
  } finally {
    socket.destroy();
    server.close();
  }
});
