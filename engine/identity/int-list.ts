/** A growable list of 32-bit integers in one typed array (no boxed numbers, no per-item objects). */
export class IntList {
  private items = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = value;
  }

  /** A copy of the items, exactly `length` long. */
  toInt32Array(): Int32Array {
    return this.items.slice(0, this.length);
  }
}
