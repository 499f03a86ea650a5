// Subscribe's EventBatch bytes from what the event hub hands a sink.
// Slices of events are EventBatch bytes already (see core/event.ts): one
// slice is written as it is, several are concatenated, which protobuf
// reads as one batch holding all their items. The rare Lost and link
// items go through the generated serializer.
import { Slice, type OutItem } from '../core/event';

export type SerializeBatch = (batch: { items: unknown[]; epoch?: string }) => Buffer;

export function batchEncoder(serializeBatch: SerializeBatch): (items: readonly OutItem[]) => Buffer {
  return (items) => {
    const first = items[0];
    if (items.length === 1 && first instanceof Slice) return first.bytes;
    const parts: Buffer[] = [];
    for (const item of items) {
      if (item instanceof Slice) parts.push(item.bytes);
      else if ('lost' in item) parts.push(serializeBatch({ items: [{ lost: { ...item.lost } }] }));
      else parts.push(serializeBatch({ items: [{ link: { state: item.link.state, detail: item.link.detail } }] }));
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  };
}

// A Subscribe's first message: no items, the daemon's epoch.
export function epochBatch(serializeBatch: SerializeBatch, epoch: string): Buffer {
  return serializeBatch({ items: [], epoch });
}
