/**
 * The BPE merge table: (left id, right id) → (rank, merged id).
 *
 * Rust resolves every merge to ids when it loads. Doing that in JS costs three string-keyed lookups per
 * merge, seconds for the 500k merges of a Gemma vocabulary, so at load we only index merges by their
 * spelling, and resolve a pair to ids the first time tokenization meets it (then cache it by id).
 * The cost of that choice: a merge naming a token missing from the vocabulary is reported when it is
 * first used, not at load.
 */
import { TokenizerConfigError } from '../types.js';

/** Ids must stay below this so that a pair, or a rank with an id, packs into one exact double. */
export const ID_LIMIT = 2 ** 26;

export const pairKey = (left: number, right: number): number => left * ID_LIMIT + right;
export const mergeRank = (packed: number): number => Math.floor(packed / ID_LIMIT);
export const mergedIdOf = (packed: number): number => packed % ID_LIMIT;

const NO_MERGE = -1;
/** Bound on remembered pair lookups (hits and misses); past it the memo starts over. */
const RESOLVED_PAIRS_LIMIT = 1 << 20;

/**
 * One string per (left, right). "left right" is already how tokenizer.json spells most merges, so those
 * entries are their own key. A left side that is empty or holds a space would make that ambiguous; it is
 * written with its length instead, and such keys start with a space, which no plain key does.
 */
function spellingKey(left: string, right: string): string {
  return left === '' || left.includes(' ') ? ` ${left.length} ${left}${right}` : `${left} ${right}`;
}

/** The key of one `merges` entry: "a b" (exactly one space, as Rust's split requires) or ["a", "b"]. */
function entryKey(entry: unknown, index: number, component: string): string {
  if (typeof entry === 'string') {
    const space = entry.indexOf(' ');
    if (space !== -1 && entry.indexOf(' ', space + 1) === -1) return space === 0 ? spellingKey('', entry.slice(1)) : entry;
  } else if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && typeof entry[1] === 'string') {
    return spellingKey(entry[0], entry[1]);
  }
  throw new TokenizerConfigError(`${component}[${index}]`, `expected "left right" or ["left", "right"], got ${JSON.stringify(entry)}`);
}

export class MergeTable {
  private readonly ranks = new Map<string, number>();
  private readonly resolved = new Map<number, number>();
  private readonly prefixLength: number;

  /**
   * As in Rust: ranks follow the list order, `#version` lines of a merges.txt are skipped, a pair listed
   * twice keeps its later rank, and the merged token is `left + right` with the continuing-subword
   * prefix cut from the front of `right`.
   */
  constructor(
    merges: unknown,
    private readonly vocab: ReadonlyMap<string, number>,
    private readonly vocabR: readonly string[],
    continuingSubwordPrefix: string | null,
    private readonly component: string,
  ) {
    if (!Array.isArray(merges)) throw new TokenizerConfigError(component, 'expected an array of merges');
    this.prefixLength = continuingSubwordPrefix?.length ?? 0;
    let rank = 0;
    for (let i = 0; i < merges.length; i++) {
      const entry: unknown = merges[i];
      if (typeof entry === 'string' && entry.startsWith('#version')) continue;
      this.ranks.set(entryKey(entry, i, component), rank++);
    }
  }

  /** (rank, merged id) packed — read with `mergeRank` / `mergedIdOf` — or undefined when the pair never merges. */
  get(left: number, right: number): number | undefined {
    const key = pairKey(left, right);
    let packed = this.resolved.get(key);
    if (packed === undefined) {
      packed = this.resolve(left, right);
      if (this.resolved.size >= RESOLVED_PAIRS_LIMIT) this.resolved.clear();
      this.resolved.set(key, packed);
    }
    return packed === NO_MERGE ? undefined : packed;
  }

  private resolve(left: number, right: number): number {
    const leftToken = this.vocabR[left];
    const rightToken = this.vocabR[right];
    const rank = this.ranks.get(spellingKey(leftToken, rightToken));
    if (rank === undefined) return NO_MERGE;
    const merged = leftToken + rightToken.slice(this.prefixLength);
    const mergedId = this.vocab.get(merged);
    if (mergedId === undefined) {
      throw new TokenizerConfigError(this.component, `merge ${JSON.stringify([leftToken, rightToken])} makes ${JSON.stringify(merged)}, which is not in model.vocab`);
    }
    return rank * ID_LIMIT + mergedId;
  }
}
