// EventBatch bytes for the bare streaming baseline, encoded once, up front,
// by the daemon's own encoder: the baseline then streams exactly the bytes
// the daemon would, at no cost per event.
import { chunkOf, type SynthEvent } from '../../test/support/event-frames';

// A nanosecond wall-clock time, so time_ns takes its real 9-byte varint.
const TIME_NS = 1_795_000_000_000_000_000n;

// Distinct batches kept; a stream cycles through them, so that a million
// events do not cost the baseline 100 MB of pre-encoded bytes.
const DISTINCT_BATCHES = 64;

export interface BatchPlan {
  batches: Buffer[];
  // Events in each batch, same order.
  counts: number[];
}

export function preEncodedBatches(payloadBytes: number, perBatch: number): BatchPlan {
  const payload = Buffer.alloc(payloadBytes, 0x61);
  const batches: Buffer[] = [];
  const counts: number[] = [];
  const events = DISTINCT_BATCHES * perBatch;
  for (let first = 1; first <= events; first += perBatch) {
    const batch: SynthEvent[] = [];
    for (let seq = first; seq < first + perBatch && seq <= events; seq++) batch.push({ seq, timeNs: TIME_NS + BigInt(seq), topic: 1, payload });
    const chunk = chunkOf(batch);
    batches.push(chunk.bytes());
    counts.push(chunk.count);
  }
  return { batches, counts };
}
