/**
 * A read-only trie over UTF-16 units, stored as one open-addressing hash table of (node, unit) → child
 * in typed arrays: building it for a 30k-token vocabulary takes a few milliseconds and no per-node
 * objects, so a model can build it lazily on its first word.
 */
export const NO_NODE = -1;

export class UnitTrie {
  /** Slot s holds the edge parents[s] --units[s]--> children[s]; parents[s] is -1 when the slot is empty. */
  private readonly parents: Int32Array;
  private readonly units: Uint16Array;
  private readonly children: Int32Array;
  /** Id of the entry that ends at each node, or -1. */
  private readonly ids: Int32Array;
  private readonly mask: number;
  private nodeCount = 1;

  static readonly ROOT = 0;

  constructor(entries: Map<string, number>) {
    let units = 0;
    for (const key of entries.keys()) units += key.length;
    let size = 16;
    while (size < 2 * units) size *= 2;
    this.mask = size - 1;
    this.parents = new Int32Array(size).fill(-1);
    this.units = new Uint16Array(size);
    this.children = new Int32Array(size);
    this.ids = new Int32Array(units + 1).fill(-1);
    for (const [key, id] of entries) this.insert(key, id);
  }

  /** The node reached from `node` by `unit`, or NO_NODE. */
  child(node: number, unit: number): number {
    for (let slot = slotOf(node, unit) & this.mask; ; slot = (slot + 1) & this.mask) {
      const parent = this.parents[slot];
      if (parent === -1) return NO_NODE;
      if (parent === node && this.units[slot] === unit) return this.children[slot];
    }
  }

  /** The node reached from the root by all of `text`, or NO_NODE. */
  walk(text: string): number {
    let node = UnitTrie.ROOT;
    for (let i = 0; i < text.length && node !== NO_NODE; i++) node = this.child(node, text.charCodeAt(i));
    return node;
  }

  /** Id of the entry ending at `node`, or -1. */
  idAt(node: number): number {
    return this.ids[node];
  }

  private insert(key: string, id: number): void {
    let node = UnitTrie.ROOT;
    for (let i = 0; i < key.length; i++) {
      const unit = key.charCodeAt(i);
      let next = this.child(node, unit);
      if (next === NO_NODE) {
        next = this.nodeCount++;
        let slot = slotOf(node, unit) & this.mask;
        while (this.parents[slot] !== -1) slot = (slot + 1) & this.mask;
        this.parents[slot] = node;
        this.units[slot] = unit;
        this.children[slot] = next;
      }
      node = next;
    }
    this.ids[node] = id;
  }
}

function slotOf(node: number, unit: number): number {
  return Math.imul(node, 0x9e3779b1) ^ Math.imul(unit, 0x85ebca6b);
}
