import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCursor, saveCursor } from 'kextbridge-export/internal/cursor';

test('a saved cursor loads back; saving leaves no temporary file; no file is no cursor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-cursor-'));
  try {
    const file = join(dir, 'cursor');
    assert.equal(loadCursor(file), null);
    saveCursor(file, { epoch: '123', seq: 42 });
    saveCursor(file, { epoch: '123', seq: 43, streamSeq: 9000 });
    assert.deepEqual(loadCursor(file), { epoch: '123', seq: 43, streamSeq: 9000 });
    assert.deepEqual(readdirSync(dir), ['cursor']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged cursor is an error that says what to do, never a silent restart from zero', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-cursor-'));
  try {
    const file = join(dir, 'cursor');
    writeFileSync(file, '{"epoch": 5, "seq": -1}');
    assert.throws(() => loadCursor(file), /must be \{"epoch": "<digits>", "seq": <whole number>, "streamSeq": <whole number>\}/);
    writeFileSync(file, '{"epoch": "5", "seq": 1, "streamSeq": 1.5}');
    assert.throws(() => loadCursor(file), /streamSeq/);
    writeFileSync(file, 'garbage');
    assert.throws(() => loadCursor(file), /not JSON; move it away/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a cursor saved before it kept a stream sequence still loads (the read-back then goes by time)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-cursor-'));
  try {
    const file = join(dir, 'cursor');
    writeFileSync(file, '{"epoch":"7","seq":12}\n');
    assert.deepEqual(loadCursor(file), { epoch: '7', seq: 12 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
