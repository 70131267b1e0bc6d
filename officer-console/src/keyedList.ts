/**
 * Lists the pages keep from one update to the next (the console's tiles and audio, the staff
 * pages' table rows): each item's element is made once (by key), updated in place, and moved only
 * when out of place, since rebuilding or moving it would take the focus from its controls or
 * interrupt its video.
 */

/** How the parts of one list are made, updated and dropped. */
export interface Keeping<Item, Part extends { root: HTMLElement }> {
  keyOf(item: Item): string;
  create(item: Item): Part;
  /** Brings a part up to date with its item and its place in the list (from 0). */
  update?(part: Part, item: Item, index: number): void;
  /** Called before a part whose item is gone leaves the page. */
  dropped?(part: Part, key: string): void;
}

/** One kept list: the parts of the items last shown, in `container` in the items' order. */
export class KeyedList<Item, Part extends { root: HTMLElement }> {
  private readonly parts = new Map<string, Part>();

  constructor(
    private readonly container: HTMLElement,
    private readonly keeping: Keeping<Item, Part>,
  ) {}

  /** Shows `items` in their order, keeping each item's part across calls. */
  show(items: readonly Item[]): void {
    const wanted = new Set(items.map((item) => this.keeping.keyOf(item)));
    for (const [key, part] of this.parts) {
      if (wanted.has(key)) continue;
      this.keeping.dropped?.(part, key);
      part.root.remove();
      this.parts.delete(key);
    }
    items.forEach((item, index) => {
      const key = this.keeping.keyOf(item);
      let part = this.parts.get(key);
      if (!part) {
        part = this.keeping.create(item);
        this.parts.set(key, part);
      }
      const children = this.container.children;
      if (children[index] !== part.root) this.container.insertBefore(part.root, children[index] ?? null);
      this.keeping.update?.(part, item, index);
    });
  }

  /** The part shown for `key`, if any. */
  get(key: string): Part | undefined {
    return this.parts.get(key);
  }

  /** Every part shown, with its key. */
  entries(): IterableIterator<[string, Part]> {
    return this.parts.entries();
  }
}
