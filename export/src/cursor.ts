// Where the export stands: the daemon epoch and the last seq JetStream has
// acknowledged (with every seq before it), and the stream sequence past
// which anything later of this host's is stored (where a read-back starts,
// recovery.ts); saved atomically (a new file, fsync, rename) so a crash
// leaves the old cursor or the new, never half.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Cursor {
  epoch: string;
  seq: number;
  // Absent in a cursor saved before it was kept.
  streamSeq?: number;
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
  const whole = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 0;
  if (typeof c.epoch !== 'string' || !/^\d+$/.test(c.epoch) || !whole(c.seq) || (c.streamSeq !== undefined && !whole(c.streamSeq))) {
    throw new Error(`${file}: the cursor must be {"epoch": "<digits>", "seq": <whole number>, "streamSeq": <whole number>}, got ${text.slice(0, 200)}`);
  }
  return { epoch: c.epoch, seq: c.seq as number, ...(c.streamSeq !== undefined ? { streamSeq: c.streamSeq } : {}) };
}

// The cursor of a run: moved in place as publishes settle (an object per
// ack would be garbage at 100,000 a second), saved when it changed.
export class CursorStore {
  readonly #file: string;
  #cursor: Cursor | null;
  #saved = '';

  constructor(file: string) {
    this.#file = file;
    this.#cursor = loadCursor(file);
    if (this.#cursor) this.#saved = JSON.stringify(this.#cursor);
  }

  get current(): Readonly<Cursor> | null {
    return this.#cursor;
  }

  advance(epoch: string, seq: number, streamSeq: number): void {
    const c = this.#cursor;
    if (!c) {
      this.#cursor = { epoch, seq, streamSeq };
      return;
    }
    c.epoch = epoch;
    c.seq = seq;
    c.streamSeq = streamSeq;
  }

  save(): void {
    if (!this.#cursor) return;
    const text = JSON.stringify(this.#cursor);
    if (text === this.#saved) return;
    writeAtomically(this.#file, `${text}\n`);
    this.#saved = text;
  }
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
