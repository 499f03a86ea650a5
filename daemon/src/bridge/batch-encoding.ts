// Subscribe's messages: EventBatch bytes from what a subscription hands
// its sink. Slices of events are EventBatch bytes already (core/chunk.ts):
// one slice is written as it is, several are concatenated, which protobuf
// reads as one batch holding all their items; the rare Lost and link items
// are written by the same encoder (core/batch-encoder.ts).
import { encodeEpoch, encodeLink, encodeLost } from '../core/batch-encoder';
import { Slice, type OutItem } from '../core/chunk';
import type { ServerStream, StreamEncoder } from '../server/stream-sink';

export function eventBatch(items: readonly OutItem[]): Buffer {
  const first = items[0];
  if (items.length === 1 && first instanceof Slice) return first.bytes;
  const parts: Buffer[] = [];
  for (const item of items) {
    if (item instanceof Slice) parts.push(item.bytes);
    else if ('lost' in item) parts.push(encodeLost(item.lost));
    else parts.push(encodeLink(item.link));
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

const nothing = (): void => undefined;

export function subscribeEncoder(call: ServerStream): StreamEncoder {
  return {
    // First, so the client knows which numbering its seqs are in.
    start: (epoch) => call.write(encodeEpoch(epoch), nothing),
    // Pre-encoded: the Subscribe serializer passes Buffers through.
    messages: (items) => [eventBatch(items)],
  };
}
