// A subscriber's queue: appended at the tail, drained from the head, and
// under drop_oldest robbed of its oldest droppable item (an event) on every
// event that comes while it is full. An Array's splice/shift at the front
// moves every element, which made a full queue of thousands quadratic
// exactly when the daemon was already behind. Here the head is an index,
// a dropped item leaves a hole that draining skips (so the Lost items that
// pile up ahead of the events under a kernel flood are never moved), a
// cursor remembers how far no droppable item remains, and the array is
// compacted only once the dead prefix outgrows the live part.
const HOLE: unique symbol = Symbol('hole');

export class Queue<T> {
  readonly #droppable: (item: T) => boolean;
  #items: (T | typeof HOLE | undefined)[] = [];
  #head = 0;
  #holes = 0;
  // Absolute index: no droppable item lies in [#head, #scan).
  #scan = 0;

  constructor(droppable: (item: T) => boolean) {
    this.#droppable = droppable;
  }

  get length(): number {
    return this.#items.length - this.#head - this.#holes;
  }

  last(): T | undefined {
    for (let i = this.#items.length - 1; i >= this.#head; i--) {
      const v = this.#items[i];
      if (v !== HOLE) return v;
    }
    return undefined;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  // Removes and returns up to n items from the head.
  take(n: number): T[] {
    const out: T[] = [];
    let i = this.#head;
    for (; out.length < n && i < this.#items.length; i++) {
      const v = this.#items[i];
      this.#items[i] = undefined;
      if (v === HOLE) this.#holes--;
      else out.push(v as T);
    }
    // Holes right behind what was taken go too, so an empty queue has none.
    for (; i < this.#items.length && this.#items[i] === HOLE; i++) {
      this.#items[i] = undefined;
      this.#holes--;
    }
    this.#advance(i);
    return out;
  }

  // Removes and returns the oldest droppable item, if any.
  dropOldest(): T | undefined {
    let i = Math.max(this.#scan, this.#head);
    for (; i < this.#items.length; i++) {
      const v = this.#items[i];
      if (v === HOLE || !this.#droppable(v as T)) continue;
      this.#items[i] = HOLE;
      this.#holes++;
      this.#scan = i + 1;
      return v as T;
    }
    this.#scan = i;
    return undefined;
  }

  #advance(to: number): void {
    this.#head = to;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
      this.#scan = 0;
      this.#holes = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#scan = Math.max(0, this.#scan - this.#head);
      this.#head = 0;
    }
  }
}
