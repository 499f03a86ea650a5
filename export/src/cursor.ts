// Where the export stands: the daemon epoch and the last seq JetStream has
// acknowledged (with every seq before it), saved atomically (a new file,
// fsync, rename) so a crash leaves the old cursor or the new, never half.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Cursor {
  epoch: string;
  seq: number;
}

export function loadCursor(file: string): Cursor | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error(`${file}: the cursor is not JSON; move it away to start from the daemon's oldest event`);
  }
  const c = v as Partial<Cursor>;
  if (typeof c.epoch !== 'string' || !/^\d+$/.test(c.epoch) || !Number.isSafeInteger(c.seq) || (c.seq as number) < 0) {
    throw new Error(`${file}: the cursor must be {"epoch": "<digits>", "seq": <whole number>}, got ${text.slice(0, 200)}`);
  }
  return { epoch: c.epoch, seq: c.seq as number };
}

export function saveCursor(file: string, cursor: Cursor): void {
  writeAtomically(file, `${JSON.stringify(cursor)}\n`);
}

export function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  // The rename itself is durable once the directory is synced.
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
