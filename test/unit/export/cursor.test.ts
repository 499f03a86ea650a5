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
    saveCursor(file, { epoch: '123', seq: 43 });
    assert.deepEqual(loadCursor(file), { epoch: '123', seq: 43 });
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
    assert.throws(() => loadCursor(file), /must be \{"epoch": "<digits>", "seq": <whole number>\}/);
    writeFileSync(file, 'garbage');
    assert.throws(() => loadCursor(file), /not JSON; move it away/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
