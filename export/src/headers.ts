// NATS message headers whose shared part is encoded once. nats.js's own
// headers() validates and re-encodes every key on each set() and again on
// send: with the envelope's eight headers that was a third of the
// exporter's time per event. Here the headers every event of a topic
// shares are checked and encoded once (SharedHeaders); each message adds
// its few own lines (MessageHeaders), encoded on first send.
//
// nats.js sends a message's headers by calling encode() on the MsgHdrs it
// is given (the method its own class has, not one its interface names).
// test/unit/export/headers.test.ts holds the bytes to nats.js's own
// encoding, and test/integration/export.test.ts reads every header back
// from a real stream, so a nats.js that changed this would fail there.
import type { MsgHdrs } from 'nats';

type Pair = readonly [string, string];

const PREAMBLE = 'NATS/1.0\r\n';
const END = '\r\n';

// The rules nats.js applies (and the NATS protocol needs): a key is
// printable ASCII without ':', a value has no CR or LF.
function checkPair(k: string, v: string): void {
  if (!/^[\x21-\x39\x3b-\x7e]+$/.test(k)) throw new Error(`header key ${JSON.stringify(k)}: printable ASCII without ':' only`);
  if (/[\r\n]/.test(v)) throw new Error(`header ${k}: the value may not hold CR or LF`);
}

function lines(pairs: readonly Pair[]): string {
  let s = '';
  for (const [k, v] of pairs) s += `${k}: ${v}\r\n`;
  return s;
}

export class SharedHeaders {
  readonly pairs: readonly Pair[];
  // PREAMBLE and the lines.
  readonly bytes: Buffer;

  constructor(pairs: readonly Pair[]) {
    for (const [k, v] of pairs) checkPair(k, v);
    this.pairs = pairs.map(([k, v]) => [k, v.trim()] as const);
    this.bytes = Buffer.from(PREAMBLE + lines(this.pairs), 'utf8');
  }
}

const NONE = new SharedHeaders([]);

export class MessageHeaders implements MsgHdrs {
  #shared: SharedHeaders;
  // This message's own lines, "Key: value\r\n" each, as given; parsed
  // only when read (the exporter never reads them, tests and consumers'
  // code may).
  #ownLines: string;
  #own: Pair[] | null = null;
  #encoded: Uint8Array | null = null;
  readonly hasError = false;
  readonly status = '';
  readonly code = 0;
  readonly description = '';

  // `ownLines` is trusted to follow checkPair's rules (the exporter makes
  // them of digits and checked tokens); set() and
  // append() check theirs.
  constructor(shared: SharedHeaders, ownLines: string) {
    this.#shared = shared;
    this.#ownLines = ownLines;
  }

  encode(): Uint8Array {
    if (this.#encoded) return this.#encoded;
    const head = this.#shared.bytes;
    const tail = this.#ownLines + END;
    const out = Buffer.allocUnsafe(head.length + Buffer.byteLength(tail, 'utf8'));
    head.copy(out, 0);
    out.write(tail, head.length, 'utf8');
    this.#encoded = out;
    return out;
  }

  #ownPairs(): Pair[] {
    if (!this.#own) {
      this.#own = [];
      for (const line of this.#ownLines.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) this.#own.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
      }
    }
    return this.#own;
  }

  #all(): readonly Pair[] {
    return this.#shared.pairs.length === 0 ? this.#ownPairs() : [...this.#shared.pairs, ...this.#ownPairs()];
  }

  // A change makes every pair this message's own: the shared encoding no
  // longer fits it.
  #owned(): Pair[] {
    const all = [...this.#all()];
    this.#shared = NONE;
    this.#own = all;
    this.#ownLines = lines(all);
    this.#encoded = null;
    return all;
  }

  *[Symbol.iterator](): Iterator<[string, string[]]> {
    for (const k of this.keys()) yield [k, this.values(k)];
  }

  get(k: string): string {
    return this.values(k)[0] ?? '';
  }

  last(k: string): string {
    return this.values(k).at(-1) ?? '';
  }

  has(k: string): boolean {
    return this.#all().some(([key]) => key === k);
  }

  keys(): string[] {
    return [...new Set(this.#all().map(([k]) => k))];
  }

  values(k: string): string[] {
    return this.#all().filter(([key]) => key === k).map(([, v]) => v);
  }

  append(k: string, v: string): void {
    checkPair(k, v);
    const all = this.#owned();
    all.push([k, v.trim()]);
    this.#ownLines = lines(all);
  }

  set(k: string, v: string): void {
    this.delete(k);
    this.append(k, v);
  }

  delete(k: string): void {
    const kept = this.#owned().filter(([key]) => key !== k);
    this.#own = kept;
    this.#ownLines = lines(kept);
  }
}
