/**
 * A read-only trie over UTF-16 units, stored as one open-addressing hash table of (node, unit) → child
 * in typed arrays: building it for a 30k-token vocabulary takes a few milliseconds and no per-node
 * objects, so a model can build it lazily on its first word. An edge's three fields sit side by side:
 * the table is megabytes, mostly out of the CPU cache, so a probe costs one cache miss instead of three.
 */
export const NO_NODE = -1;

/** Fields of slot k at `edges[k * EDGE_SIZE + ...]`. */
const PARENT = 0;
const UNIT = 1;
const CHILD = 2;
const EDGE_SIZE = 3;

export class UnitTrie {
  /** Slot k holds the edge PARENT --UNIT--> CHILD; its PARENT is -1 when the slot is empty. */
  private readonly edges: Int32Array;
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
    this.edges = new Int32Array(size * EDGE_SIZE).fill(-1);
    this.ids = new Int32Array(units + 1).fill(-1);
    for (const [key, id] of entries) this.insert(key, id);
  }

  /** The node reached from `node` by `unit`, or NO_NODE. */
  child(node: number, unit: number): number {
    const { edges, mask } = this;
    for (let slot = slotOf(node, unit) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * EDGE_SIZE;
      const parent = edges[at + PARENT];
      if (parent === -1) return NO_NODE;
      if (parent === node && edges[at + UNIT] === unit) return edges[at + CHILD];
    }
  }

  /** The node reached from the root by all of `text`, or NO_NODE. */
  walk(text: string): number {
    let node = UnitTrie.ROOT;
    for (let i = 0; i < text.length && node !== NO_NODE; i++) node = this.child(node, text.charCodeAt(i));
    return node;
  }

  /**
   * Calls `visit(end, id)` for each entry equal to text[start, end), shortest first. The empty entry is
   * never reported: Rust's trie reports prefixes only after consuming a unit.
   */
  forEachPrefix(text: string, start: number, visit: (end: number, id: number) => void): void {
    let node = UnitTrie.ROOT;
    for (let i = start; i < text.length; i++) {
      node = this.child(node, text.charCodeAt(i));
      if (node === NO_NODE) return;
      const id = this.ids[node];
      if (id !== -1) visit(i + 1, id);
    }
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
        while (this.edges[slot * EDGE_SIZE + PARENT] !== -1) slot = (slot + 1) & this.mask;
        const at = slot * EDGE_SIZE;
        this.edges[at + PARENT] = node;
        this.edges[at + UNIT] = unit;
        this.edges[at + CHILD] = next;
      }
      node = next;
    }
    this.ids[node] = id;
  }
}

function slotOf(node: number, unit: number): number {
  return Math.imul(node, 0x9e3779b1) ^ Math.imul(unit, 0x85ebca6b);
}
