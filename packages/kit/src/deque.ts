/** A FIFO queue with O(1) push and shift (an array with a moving head, compacted now and then). */
export class Deque<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  /** How many items are queued. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends an item. */
  push(item: T): void {
    this.items.push(item);
  }

  /** Puts an item in front of the others. */
  unshift(item: T): void {
    if (this.head > 0) this.items[--this.head] = item;
    else this.items.unshift(item);
  }

  /** Removes and returns the first item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** The first item without removing it. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Removes the first item equal to `item`; returns whether one was found. */
  remove(item: T): boolean {
    const at = this.items.indexOf(item, this.head);
    if (at === -1) return false;
    this.items.splice(at, 1);
    return true;
  }

  /** Removes every item and returns them in order. */
  drain(): T[] {
    const all = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return all;
  }
}
