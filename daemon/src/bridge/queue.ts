// A subscriber's queue: appended at the tail, drained from the head, and
// under drop_oldest robbed of its oldest event on every event that comes
// while it is full. An Array's splice/shift at the front moves every
// element, which made a full queue of thousands quadratic exactly when the
// daemon was already behind; here the head is an index and the array is
// compacted only once the dead prefix outgrows the live part.
export class Queue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  at(i: number): T | undefined {
    return this.#items[this.#head + i];
  }

  last(): T | undefined {
    return this.length > 0 ? this.#items[this.#items.length - 1] : undefined;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  // Removes and returns up to n items from the head.
  take(n: number): T[] {
    const end = this.#head + Math.min(n, this.length);
    const out = this.#items.slice(this.#head, end) as T[];
    this.#advance(end);
    return out;
  }

  // Removes and returns the first item that matches, searching from the
  // head (where, in a subscriber's queue, the oldest event almost always is).
  removeFirst(match: (item: T) => boolean): T | undefined {
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i] as T;
      if (!match(item)) continue;
      // Close the gap from the head side: the items before it are few.
      for (let j = i; j > this.#head; j--) this.#items[j] = this.#items[j - 1];
      this.#advance(this.#head + 1);
      return item;
    }
    return undefined;
  }

  #advance(to: number): void {
    for (let i = this.#head; i < to; i++) this.#items[i] = undefined;
    this.#head = to;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
