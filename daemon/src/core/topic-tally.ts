// Counts by topic id, for the metrics: events from the kernel and kernel
// losses per topic. A number per topic in a Map (no object per event);
// at most MAX_TOPICS ids are kept apart, the rest are added under
// OTHER_TOPIC, so a kext sending ids at random cannot grow it.
export const OTHER_TOPIC = -1;
const MAX_TOPICS = 1024;

export class TopicTally {
  readonly #counts = new Map<number, number>();

  add(topic: number, n: number): void {
    const have = this.#counts.get(topic);
    if (have !== undefined) this.#counts.set(topic, have + n);
    else if (this.#counts.size < MAX_TOPICS) this.#counts.set(topic, n);
    else this.#counts.set(OTHER_TOPIC, (this.#counts.get(OTHER_TOPIC) ?? 0) + n);
  }

  entries(): IterableIterator<[number, number]> {
    return this.#counts.entries();
  }
}

// A tally's counts under topic names (nameOf gives undefined for an id the
// catalog does not list: those, and OTHER_TOPIC, add up under "other").
export function countsByName(tally: TopicTally, nameOf: (id: number) => string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, n] of tally.entries()) {
    const name = (id === OTHER_TOPIC ? undefined : nameOf(id)) ?? 'other';
    out.set(name, (out.get(name) ?? 0) + n);
  }
  return out;
}
