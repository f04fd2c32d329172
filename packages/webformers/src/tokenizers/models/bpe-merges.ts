/**
 * The BPE merge table: (left id, right id) → (rank, merged id), resolved to ids at load as Rust does,
 * so a merge naming a token missing from the vocabulary fails at load (Rust's MergeTokenOutOfVocabulary).
 *
 * Encoding meets each pair once per word and a fresh tokenizer meets every pair for the first time, so
 * the lookup is an open-addressing hash over typed arrays: no string keys built per pair, no boxed
 * numbers, nothing for the garbage collector. A slot's four fields sit side by side: the table of a large
 * vocabulary is megabytes, mostly out of the CPU cache, so a probe costs one cache miss instead of four.
 */
import { TokenizerConfigError } from '../types.js';

/** Ids are stored in Int32Arrays. */
export const ID_LIMIT = 2 ** 31;

const EMPTY = -1;

/** `merges` entry → [left, right]: "a b" (exactly one space, as Rust's split requires) or ["a", "b"]. */
function entrySides(entry: unknown, index: number, component: string): [string, string] {
  if (typeof entry === 'string') {
    const space = entry.indexOf(' ');
    if (space !== -1 && entry.indexOf(' ', space + 1) === -1) return [entry.slice(0, space), entry.slice(space + 1)];
  } else if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && typeof entry[1] === 'string') {
    return [entry[0], entry[1]];
  }
  throw new TokenizerConfigError(`${component}[${index}]`, `expected "left right" or ["left", "right"], got ${JSON.stringify(entry)}`);
}

const hashPair = (left: number, right: number): number => Math.imul(left, 0x9e3779b1) ^ Math.imul(right + 0x7f4a7c15, 0x85ebca77);

/** Fields of a slot, at `slot + LEFT` ...; a slot is SLOT_SIZE entries of `slots`. */
const LEFT = 0;
const RIGHT = 1;
const RANK = 2;
const MERGED_ID = 3;
const SLOT_SIZE = 4;

export class MergeTable {
  private readonly slots: Int32Array;
  /** (number of slots - 1) * SLOT_SIZE: a hash masked with it is a slot's first index. */
  private readonly mask: number;

  /**
   * As in Rust: ranks follow the list order, `#version` lines of a merges.txt are skipped, a pair listed
   * twice keeps its later rank, and the merged token is `left + right` with the continuing-subword
   * prefix cut from the front of `right`.
   */
  constructor(merges: unknown, vocab: ReadonlyMap<string, number>, continuingSubwordPrefix: string | null, component: string) {
    if (!Array.isArray(merges)) throw new TokenizerConfigError(component, 'expected an array of merges');
    // Filled to at most three quarters: linear probing stays within a cache line or two, and a table half
    // as large misses the CPU cache less often than a sparser one would save in probes.
    let capacity = 16;
    while (capacity * 3 < merges.length * 4) capacity *= 2;
    this.mask = (capacity - 1) * SLOT_SIZE;
    this.slots = new Int32Array(capacity * SLOT_SIZE).fill(EMPTY);
    const prefixLength = continuingSubwordPrefix?.length ?? 0;
    let rank = 0;
    for (let i = 0; i < merges.length; i++) {
      const entry: unknown = merges[i];
      if (typeof entry === 'string' && entry.startsWith('#version')) continue;
      const [leftToken, rightToken] = entrySides(entry, i, component);
      const left = vocab.get(leftToken);
      const right = vocab.get(rightToken);
      const merged = leftToken + rightToken.slice(prefixLength);
      const mergedId = vocab.get(merged);
      if (left === undefined || right === undefined || mergedId === undefined) {
        const missing = left === undefined ? leftToken : right === undefined ? rightToken : merged;
        throw new TokenizerConfigError(`${component}[${i}]`, `merge ${JSON.stringify([leftToken, rightToken])} needs ${JSON.stringify(missing)}, which is not in model.vocab`);
      }
      const slot = this.slotFor(left, right);
      this.slots[slot + LEFT] = left;
      this.slots[slot + RIGHT] = right;
      this.slots[slot + RANK] = rank++;
      this.slots[slot + MERGED_ID] = mergedId;
    }
  }

  /** The slot holding (left, right), or the empty slot where it would go. */
  private slotFor(left: number, right: number): number {
    const { slots, mask } = this;
    let slot = (hashPair(left, right) * SLOT_SIZE) & mask;
    while (slots[slot + LEFT] !== EMPTY && (slots[slot + LEFT] !== left || slots[slot + RIGHT] !== right)) slot = (slot + SLOT_SIZE) & mask;
    return slot;
  }

  /** A handle for `rankAt` / `mergedIdAt`, or -1 when the pair never merges. */
  find(left: number, right: number): number {
    const slot = this.slotFor(left, right);
    return this.slots[slot + LEFT] === EMPTY ? -1 : slot;
  }

  leftAt(handle: number): number {
    return this.slots[handle + LEFT];
  }

  rightAt(handle: number): number {
    return this.slots[handle + RIGHT];
  }

  rankAt(handle: number): number {
    return this.slots[handle + RANK];
  }

  mergedIdAt(handle: number): number {
    return this.slots[handle + MERGED_ID];
  }
}
