// NATS message headers the exporter encodes itself. nats.js's own
// headers() validates and re-encodes every key on each set() and again on
// send: with the envelope's eight headers that was a third of the
// exporter's time per event. Here what every event of a topic shares is
// checked and encoded once (SharedHeaders); the envelope writes an event's
// block, that prefix and its few own lines, straight into one buffer and
// wraps it (MessageHeaders.encoded): no string per line, nothing to
// validate per event.
//
// nats.js sends a message's headers by calling encode() on the MsgHdrs it
// is given (the method its own class has, not one its interface names).
// test/unit/export/headers.test.ts holds the bytes to nats.js's own
// encoding, and test/integration/export.test.ts reads every header back
// from a real stream, so a nats.js that changed this would fail there.
import type { MsgHdrs } from 'nats';

type Pair = readonly [string, string];

const PREAMBLE = 'NATS/1.0\r\n';

// The rules nats.js applies (and the NATS protocol needs): a key is
// printable ASCII without ':', a value has no CR or LF.
function checkPair(k: string, v: string): void {
  if (!/^[\x21-\x39\x3b-\x7e]+$/.test(k)) throw new Error(`header key ${JSON.stringify(k)}: printable ASCII without ':' only`);
  if (/[\r\n]/.test(v)) throw new Error(`header ${k}: the value may not hold CR or LF`);
}

function block(pairs: readonly Pair[], end: boolean): Buffer {
  let s = PREAMBLE;
  for (const [k, v] of pairs) s += `${k}: ${v}\r\n`;
  return Buffer.from(end ? `${s}\r\n` : s, 'utf8');
}

function parse(encoded: Uint8Array): Pair[] {
  const text = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength).toString('utf8');
  const pairs: Pair[] = [];
  for (const line of text.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) pairs.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return pairs;
}

// The pairs as sent: checked, values trimmed (as nats.js does).
function checked(pairs: readonly Pair[]): Pair[] {
  for (const [k, v] of pairs) checkPair(k, v);
  return pairs.map(([k, v]) => [k, v.trim()] as const);
}

// Checked pairs, encoded once as the start of a header block.
export class SharedHeaders {
  readonly pairs: readonly Pair[];
  // PREAMBLE and a line per pair.
  readonly bytes: Buffer;

  constructor(pairs: readonly Pair[]) {
    this.pairs = checked(pairs);
    this.bytes = block(this.pairs, false);
  }
}

export class MessageHeaders implements MsgHdrs {
  // One of the two is always there: the bytes as sent, and the pairs once
  // read or changed.
  #encoded: Uint8Array | null;
  #pairs: Pair[] | null;
  readonly hasError = false;
  readonly status = '';
  readonly code = 0;
  readonly description = '';

  private constructor(encoded: Uint8Array | null, pairs: Pair[] | null) {
    this.#encoded = encoded;
    this.#pairs = pairs;
  }

  // A whole block as sent (PREAMBLE, lines, blank line), written by a
  // caller that vouches for it.
  static encoded(bytes: Uint8Array): MessageHeaders {
    return new MessageHeaders(bytes, null);
  }

  static of(pairs: readonly Pair[]): MessageHeaders {
    return new MessageHeaders(null, checked(pairs));
  }

  encode(): Uint8Array {
    return (this.#encoded ??= block(this.#pairs!, true));
  }

  #read(): Pair[] {
    return (this.#pairs ??= parse(this.#encoded!));
  }

  // A change is made on the pairs; the bytes are written again on send.
  #change(): Pair[] {
    const pairs = [...this.#read()];
    this.#pairs = pairs;
    this.#encoded = null;
    return pairs;
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
    return this.#read().some(([key]) => key === k);
  }

  keys(): string[] {
    return [...new Set(this.#read().map(([k]) => k))];
  }

  values(k: string): string[] {
    return this.#read()
      .filter(([key]) => key === k)
      .map(([, v]) => v);
  }

  append(k: string, v: string): void {
    this.#change().push(...checked([[k, v]]));
  }

  set(k: string, v: string): void {
    this.delete(k);
    this.append(k, v);
  }

  delete(k: string): void {
    const kept = this.#change().filter(([key]) => key !== k);
    this.#pairs = kept;
  }
}
