// What one event (or one loss) becomes in JetStream: the subject, the
// headers that carry where it came from, and the body. docs/export.md
// documents this as the envelope consumers read.
//   subject  kextbridge.<host>.<topic>      (losses: kextbridge.<host>._lost)
//   body     the event's payload: the kext's protobuf bytes, untouched
//   headers  Kb-Host, Kb-Kext, Kb-Epoch, Kb-Seq, Kb-Time-Ns, Kb-Topic,
//            Kb-Type (the payload's protobuf type, when the .proto is known)
//   Nats-Msg-Id  <host>/<epoch>/<seq>: JetStream drops a replay within its
//            duplicate window, which makes re-publishing after a crash safe
import { headers as natsHeaders, type MsgHdrs } from 'nats';

export interface Source {
  host: string;
  kext: string;
}

export interface EventOut {
  epoch: string;
  seq: number;
  timeNs: string;
  topic: string;
  type: string | undefined;
  payload: Uint8Array;
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
  msgID: string;
  headers: MsgHdrs;
  data: Uint8Array;
}

export const LOST_TOPIC = '_lost';

// The headers every message has: where it came from.
function sourceHeaders(src: Source, epoch: string): MsgHdrs {
  const h = natsHeaders();
  h.set('Kb-Host', src.host);
  h.set('Kb-Kext', src.kext);
  h.set('Kb-Epoch', epoch);
  return h;
}

export function eventPublication(src: Source, e: EventOut): Publication {
  const h = sourceHeaders(src, e.epoch);
  h.set('Kb-Seq', String(e.seq));
  h.set('Kb-Time-Ns', e.timeNs);
  h.set('Kb-Topic', e.topic);
  if (e.type) h.set('Kb-Type', e.type);
  return { subject: `kextbridge.${src.host}.${e.topic}`, msgID: `${src.host}/${e.epoch}/${e.seq}`, headers: h, data: e.payload };
}

// A loss record: the seqs first..last (count of them lost) will never be
// in the stream, and why. One the daemon could not size (count 0: a
// restart since the cursor) is keyed by the epoch alone.
export function lossPublication(src: Source, l: LossOut): Publication {
  const h = sourceHeaders(src, l.epoch);
  h.set('Kb-Lost-Count', String(l.count));
  h.set('Kb-Lost-First', String(l.firstSeq));
  h.set('Kb-Lost-Last', String(l.lastSeq));
  h.set('Kb-Lost-Source', l.source);
  const body = Buffer.from(JSON.stringify({ count: l.count, firstSeq: l.firstSeq, lastSeq: l.lastSeq, source: l.source, detail: l.detail }));
  const id = l.count > 0 ? `${src.host}/${l.epoch}/lost/${l.firstSeq}-${l.lastSeq}` : `${src.host}/${l.epoch}/lost/unsized`;
  return { subject: `kextbridge.${src.host}.${LOST_TOPIC}`, msgID: id, headers: h, data: body };
}
