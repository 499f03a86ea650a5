// JetStream's answer to a publish, classified from its bytes: an answer
// per event arrives at 100,000 a second, and decoding each to a string to
// search it cost more than the rest of the ack's handling.
//   stored      {"stream":"S","seq":N} (and "domain" when there is one)
//   duplicate   the same with "duplicate": true (nats-server writes the
//               space; without it is accepted too)
//   failed      {"error":{...}}, or anything else: the publish is sent again
// and the stream sequence it names ("seq": the new message's, or for a
// duplicate the one stored before; -1 when failed).
export type AckOutcome = 'stored' | 'duplicate' | 'failed';

export interface PubAck {
  outcome: AckOutcome;
  seq: number;
}

const OPEN = Buffer.from('{"stream":');
const ERROR = Buffer.from('"error"');
const DUPLICATE = Buffer.from('"duplicate":');
const TRUE = Buffer.from('true');
const SEQ = Buffer.from('"seq":');

function startsWithAt(d: Uint8Array, at: number, what: Uint8Array): boolean {
  if (at + what.length > d.length) return false;
  for (let i = 0; i < what.length; i++) if (d[at + i] !== what[i]) return false;
  return true;
}

function indexOf(d: Uint8Array, what: Uint8Array, from: number): number {
  const first = what[0];
  for (let i = from; i + what.length <= d.length; i++) if (d[i] === first && startsWithAt(d, i, what)) return i;
  return -1;
}

function outcomeOf(d: Uint8Array): AckOutcome {
  if (!startsWithAt(d, 0, OPEN) || indexOf(d, ERROR, OPEN.length) >= 0) return 'failed';
  const dup = indexOf(d, DUPLICATE, OPEN.length);
  if (dup < 0) return 'stored';
  let at = dup + DUPLICATE.length;
  while (d[at] === 0x20) at++;
  return startsWithAt(d, at, TRUE) ? 'duplicate' : 'stored';
}

// The digits after "seq": (-1 when there are none).
function seqOf(d: Uint8Array): number {
  const key = indexOf(d, SEQ, OPEN.length);
  if (key < 0) return -1;
  let at = key + SEQ.length;
  while (d[at] === 0x20) at++;
  let n = -1;
  for (; at < d.length; at++) {
    const digit = d[at]! - 48;
    if (digit < 0 || digit > 9) break;
    n = (n < 0 ? 0 : n * 10) + digit;
  }
  return n;
}

// Reads an answer into `into` (one object reused for every ack) and
// returns it. An answer that names no seq is failed.
export function readPubAck(d: Uint8Array, into: PubAck): PubAck {
  into.outcome = outcomeOf(d);
  into.seq = into.outcome === 'failed' ? -1 : seqOf(d);
  if (into.seq < 0) into.outcome = 'failed';
  return into;
}
