// JetStream's answer to a publish, classified from its bytes: an answer
// per event arrives at 100,000 a second, and decoding each to a string to
// search it cost more than the rest of the ack's handling.
//   stored      {"stream":"S","seq":N} (and "domain" when there is one)
//   duplicate   the same with "duplicate": true (nats-server writes the
//               space; without it is accepted too)
//   failed      {"error":{...}}, or anything else: the publish is sent again
export type AckOutcome = 'stored' | 'duplicate' | 'failed';

const OPEN = Buffer.from('{"stream":');
const ERROR = Buffer.from('"error"');
const DUPLICATE = Buffer.from('"duplicate":');
const TRUE = Buffer.from('true');

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

export function pubAckOutcome(d: Uint8Array): AckOutcome {
  if (!startsWithAt(d, 0, OPEN) || indexOf(d, ERROR, OPEN.length) >= 0) return 'failed';
  const dup = indexOf(d, DUPLICATE, OPEN.length);
  if (dup < 0) return 'stored';
  let at = dup + DUPLICATE.length;
  while (d[at] === 0x20) at++;
  return startsWithAt(d, at, TRUE) ? 'duplicate' : 'stored';
}
