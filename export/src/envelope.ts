// What one event (or one loss) becomes in JetStream: the subject, the
// headers that carry where it came from, and the body. docs/export.md
// documents this as the envelope consumers read.
//   subject  kextbridge.<host>.<topic>      (losses: kextbridge.<host>._lost;
//            a topic's name as subjectToken() writes it)
//   body     the event's payload: the kext's protobuf bytes, untouched
//   headers  Kb-Host, Kb-Kext, Kb-Epoch, Kb-Seq, Kb-Time-Ns, Kb-Topic,
//            Kb-Type (the payload's protobuf type, when the .proto is known)
//   Nats-Msg-Id  <host>/<epoch>/<seq>: JetStream drops a replay within its
//            duplicate window, which makes re-publishing after a crash safe
import { MessageHeaders, SharedHeaders } from './headers';

export interface Source {
  host: string;
  kext: string;
}

export interface LossOut {
  epoch: string;
  count: number;
  firstSeq: number;
  lastSeq: number;
  source: string;
  detail: string;
}

export interface Publication {
  subject: string;
  // The headers carry its Nats-Msg-Id.
  headers: MessageHeaders;
  data: Uint8Array;
}

export const LOST_TOPIC = '_lost';

function percent(s: string, keep: RegExp): string {
  let out = '';
  for (const ch of s) {
    if (keep.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// A topic's name as one subject token. A catalog name is any UTF-8 the kext
// likes: letters, digits, '-' and '_' stay as they are, anything else (and
// a leading '_', which the loss records' token has) is percent-encoded by
// its UTF-8 bytes, so that no name can break the subject, split it, make
// a wildcard of it or land on kextbridge.<host>._lost.
export function subjectToken(name: string): string {
  const token = percent(name, /^[A-Za-z0-9_-]$/);
  return token.startsWith('_') ? `%5F${token.slice(1)}` : token;
}

// A header value NATS can carry: control characters (a CR or LF would end
// the header) and '%' itself percent-encoded; the rest as it is.
export function headerValue(s: string): string {
  return /[\x00-\x1f\x7f%]/.test(s) ? percent(s, /^[^\x00-\x1f\x7f%]$/u) : s;
}

function sourcePairs(src: Source, epoch: string): Array<readonly [string, string]> {
  return [
    ['Kb-Host', src.host],
    ['Kb-Kext', headerValue(src.kext)],
    ['Kb-Epoch', epoch],
  ];
}

const TIME_LINE = Buffer.from('\r\nKb-Time-Ns: ', 'latin1');
const END = Buffer.from('\r\n\r\n', 'latin1');

// What every event of one topic in one daemon epoch shares, made once:
// per event only the seq, the time and the message id are written, as
// bytes, into the header block.
export class TopicEnvelope {
  readonly subject: string;
  // The shared headers, then "Kb-Seq: ".
  readonly #head: Buffer;
  // "\r\nNats-Msg-Id: <host>/<epoch>/".
  readonly #idLine: Buffer;

  constructor(src: Source, epoch: string, topic: string, type: string | undefined) {
    if (!/^[0-9]+$/.test(epoch)) throw new Error(`daemon epoch ${JSON.stringify(epoch)}: expected a decimal number`);
    this.subject = `kextbridge.${src.host}.${subjectToken(topic)}`;
    const shared = new SharedHeaders([...sourcePairs(src, epoch), ['Kb-Topic', headerValue(topic)], ...(type ? [['Kb-Type', headerValue(type)] as const] : [])]);
    this.#head = Buffer.concat([shared.bytes, Buffer.from('Kb-Seq: ', 'latin1')]);
    this.#idLine = Buffer.from(`\r\nNats-Msg-Id: ${src.host}/${epoch}/`, 'latin1');
  }

  // seq and timeNs: the daemon's uint64s as decimal strings (digits only,
  // which is what lets them be written unchecked).
  event(seq: string, timeNs: string, payload: Uint8Array): Publication {
    const out = Buffer.allocUnsafe(this.#head.length + seq.length + TIME_LINE.length + timeNs.length + this.#idLine.length + seq.length + END.length);
    let at = this.#head.copy(out, 0);
    at += out.write(seq, at, 'latin1');
    at += TIME_LINE.copy(out, at);
    at += out.write(timeNs, at, 'latin1');
    at += this.#idLine.copy(out, at);
    at += out.write(seq, at, 'latin1');
    END.copy(out, at);
    return { subject: this.subject, headers: MessageHeaders.encoded(out), data: payload };
  }
}

// A loss record: the seqs first..last (count of them lost) will never be
// in the stream, and why. One the daemon could not size (count 0: a
// restart since the cursor) is keyed by the epoch alone.
export function lossPublication(src: Source, l: LossOut): Publication {
  const id = l.count > 0 ? `${src.host}/${l.epoch}/lost/${l.firstSeq}-${l.lastSeq}` : `${src.host}/${l.epoch}/lost/unsized`;
  const pairs: Array<readonly [string, string]> = [
    ...sourcePairs(src, l.epoch),
    ['Kb-Lost-Count', String(l.count)],
    ['Kb-Lost-First', String(l.firstSeq)],
    ['Kb-Lost-Last', String(l.lastSeq)],
    ['Kb-Lost-Source', l.source],
    ['Nats-Msg-Id', id],
  ];
  const body = Buffer.from(JSON.stringify({ count: l.count, firstSeq: l.firstSeq, lastSeq: l.lastSeq, source: l.source, detail: l.detail }));
  return { subject: `kextbridge.${src.host}.${LOST_TOPIC}`, headers: MessageHeaders.of(pairs), data: body };
}
