// Reader for kext/test/vectors/wire-v1.txt (the format is described at the
// top of that file). Shared by the wire tests; throws on a line it does not
// understand, so a typo in the vectors fails loudly instead of skipping.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PayloadRecord {
  readonly kind: string;
  readonly fields: ReadonlyMap<string, string>;
}

export interface VectorFrame {
  readonly type: number;
  readonly flags: number;
  readonly id: number;
  readonly code: number;
  readonly payload: Uint8Array;
  readonly records: PayloadRecord[];
}

export interface VectorDatagram {
  readonly bytes: Uint8Array;
  readonly frames: VectorFrame[];
}

export interface Vector {
  readonly name: string;
  readonly direction: 'd2k' | 'k2d';
  readonly datagrams: VectorDatagram[];
  /** Messages after MORE reassembly (vectors using MORE only). */
  readonly messages: VectorFrame[];
}

export interface MalformedVector {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly class: string;
  readonly offset: number;
  readonly frames: number;
}

export interface VectorsFile {
  readonly vectors: Vector[];
  readonly malformed: MalformedVector[];
}

export const VECTORS_PATH = join('kext', 'test', 'vectors', 'wire-v1.txt');

export function hexToBytes(hex: string): Uint8Array {
  if (hex === '-') return new Uint8Array(0);
  if (!/^([0-9a-f]{2})*$/.test(hex)) throw new Error(`bad hex: ${hex.slice(0, 40)}`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function fieldsOf(words: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new Error(`not key=value: ${w}`);
    m.set(w.slice(0, eq), w.slice(eq + 1));
  }
  return m;
}

function need(m: ReadonlyMap<string, string>, key: string): string {
  const v = m.get(key);
  if (v === undefined) throw new Error(`missing ${key}=`);
  return v;
}

export function num(m: ReadonlyMap<string, string>, key: string): number {
  const v = Number(need(m, key));
  if (!Number.isInteger(v)) throw new Error(`${key}= is not an integer`);
  return v;
}

export function big(m: ReadonlyMap<string, string>, key: string): bigint {
  return BigInt(need(m, key));
}

export function str(m: ReadonlyMap<string, string>, key: string): string {
  return need(m, key);
}

export function bytes(m: ReadonlyMap<string, string>, key: string): Uint8Array {
  return hexToBytes(need(m, key));
}

function frameOf(m: Map<string, string>): VectorFrame {
  return { type: num(m, 'type'), flags: m.has('flags') ? num(m, 'flags') : 0, id: num(m, 'id'), code: num(m, 'code'), payload: bytes(m, 'payload'), records: [] };
}

const PAYLOAD_RECORDS = new Set(['hello', 'welcome', 'entry', 'event', 'loss', 'upcall', 'subscribe']);

export function parseVectors(text: string): VectorsFile {
  const vectors: Vector[] = [];
  const malformed: MalformedVector[] = [];
  let cur: Vector | null = null;
  let lastFrame: VectorFrame | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line === '' || line.startsWith('#')) return;
    const [word, ...rest] = line.split(' ');
    try {
      if (word === 'malformed') {
        const [name, hex, cls, ...kv] = rest;
        const m = fieldsOf(kv);
        malformed.push({ name, bytes: hexToBytes(hex), class: cls, offset: num(m, 'offset'), frames: num(m, 'frames') });
      } else if (word === 'vector') {
        if (cur) throw new Error('vector inside a vector');
        if (rest[1] !== 'd2k' && rest[1] !== 'k2d') throw new Error('direction must be d2k or k2d');
        cur = { name: rest[0], direction: rest[1], datagrams: [], messages: [] };
        lastFrame = null;
      } else if (!cur) {
        throw new Error(`${word} outside a vector`);
      } else if (word === 'datagram') {
        cur.datagrams.push({ bytes: hexToBytes(rest[0]), frames: [] });
      } else if (word === 'frame') {
        const dg = cur.datagrams.at(-1);
        if (!dg) throw new Error('frame before datagram');
        lastFrame = frameOf(fieldsOf(rest));
        dg.frames.push(lastFrame);
      } else if (word === 'message') {
        lastFrame = frameOf(fieldsOf(rest));
        cur.messages.push(lastFrame);
      } else if (PAYLOAD_RECORDS.has(word)) {
        if (!lastFrame) throw new Error(`${word} before any frame`);
        lastFrame.records.push({ kind: word, fields: fieldsOf(rest) });
      } else if (word === 'end') {
        vectors.push(cur);
        cur = null;
      } else {
        throw new Error(`unknown record ${word}`);
      }
    } catch (e) {
      throw new Error(`${VECTORS_PATH}:${i + 1}: ${(e as Error).message}`);
    }
  });
  if (cur) throw new Error(`${VECTORS_PATH}: vector without end`);
  return { vectors, malformed };
}

/** Tests run from the repo root (scripts/run-tests.mjs). */
export function loadVectors(): VectorsFile {
  return parseVectors(readFileSync(VECTORS_PATH, 'utf8'));
}

export function vectorNamed(file: VectorsFile, name: string): Vector {
  const v = file.vectors.find((x) => x.name === name);
  if (!v) throw new Error(`no vector ${name}`);
  return v;
}
