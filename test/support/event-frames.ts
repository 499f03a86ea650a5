// EVENT frames built by hand, as the kext would send them, and the chunks
// the daemon makes of them: for tests of the event path and for the bench's
// bare baseline (which streams the daemon's own bytes).
import type { Chunk } from 'kextbridged/internal/core/chunk';
import { EventRun } from 'kextbridged/internal/core/event-run';
import { FrameType, encodeFrame } from 'kextbridged/internal/wire/index';
import { encodeEvent } from './kext-wire';

export interface SynthEvent {
  seq: number;
  topic: number;
  payload: Uint8Array;
  timeNs?: bigint;
}

// One datagram holding the events' frames back to back, and the offsets
// of their headers.
export function eventDatagram(events: readonly SynthEvent[]): { datagram: Buffer; starts: Uint32Array } {
  const frames = events.map((e) => encodeFrame(FrameType.EVENT, 0, 0, e.topic, encodeEvent(e.seq, e.timeNs ?? 0n, e.payload)));
  const starts = new Uint32Array(frames.length);
  let at = 0;
  frames.forEach((f, i) => {
    starts[i] = at;
    at += f.length;
  });
  return { datagram: Buffer.concat(frames), starts };
}

// The chunk the daemon makes of these events (all of them, no filter),
// not yet encoded.
export function chunkOf(events: readonly SynthEvent[]): Chunk {
  const { datagram, starts } = eventDatagram(events);
  const run = new EventRun();
  run.read(datagram, starts, starts.length);
  if (run.count === 0) throw new Error('no events to encode');
  return run.capture(0, run.count);
}
