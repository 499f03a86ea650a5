// What a subscriber was told of its seqs: events delivered, losses told
// (by source), and the range they span. The soak and the abuse tests hold
// that every seq of the range is one or the other.

// An item as Bridge.Subscribe sends it or the client library yields it.
export interface SeqItem {
  event?: { seq: string | number | bigint } | null;
  lost?: { count: string | number | bigint; firstSeq: string | number | bigint; lastSeq: string | number | bigint; source?: unknown } | null;
}

export interface SubscribeBatch {
  items: SeqItem[];
}

export class SeqCoverage {
  delivered = 0;
  lost = 0;
  lowest = Infinity;
  highest = 0;
  readonly bySource = new Map<string, number>();

  add(b: SubscribeBatch): void {
    for (const i of b.items) this.addItem(i);
  }

  addItem(i: SeqItem): void {
    if (i.event) {
      this.delivered++;
      this.lowest = Math.min(this.lowest, Number(i.event.seq));
      this.highest = Math.max(this.highest, Number(i.event.seq));
    } else if (i.lost && Number(i.lost.count) > 0) {
      this.lost += Number(i.lost.count);
      const source = String(i.lost.source);
      this.bySource.set(source, (this.bySource.get(source) ?? 0) + Number(i.lost.count));
      this.lowest = Math.min(this.lowest, Number(i.lost.firstSeq));
      this.highest = Math.max(this.highest, Number(i.lost.lastSeq));
    }
  }

  // Events and told losses of the range's seqs: equal to its length when
  // nothing was lost silently.
  get told(): number {
    return this.delivered + this.lost;
  }

  get span(): number {
    return this.highest - this.lowest + 1;
  }
}
