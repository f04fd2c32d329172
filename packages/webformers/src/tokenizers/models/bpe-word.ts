/**
 * Applying BPE merges to one word, in the order Rust `tokenizers` applies them: a min-queue of
 * candidate merges ordered by (rank, position); stale entries are skipped when popped; each merge
 * queues the new pairs it forms with its neighbours. Ties on rank go to the leftmost position.
 */
import type { MergeTable } from './bpe-merges.js';

/** Symbols of a word: parallel arrays of id and [start, end) offsets (UTF-16) into the word. */
export interface WordSymbols {
  ids: number[];
  starts: number[];
  ends: number[];
}

/** Positions are far below this, so (rank, position) packs into one exact double ordered like the pair. */
const POSITION_LIMIT = 2 ** 24;

/**
 * A binary min-heap of (rank · POSITION_LIMIT + position) keys carrying the MergeTable handle of the pair queued.
 * Its arrays only grow; `size` says how much of them is in use, so emptying it between words costs nothing.
 */
class MergeQueue {
  private readonly keys: number[] = [];
  private readonly handles: number[] = [];
  size = 0;

  clear(): void {
    this.size = 0;
  }

  push(rank: number, position: number, handle: number): void {
    const { keys, handles } = this;
    const key = rank * POSITION_LIMIT + position;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] <= key) break;
      keys[i] = keys[parent];
      handles[i] = handles[parent];
      i = parent;
    }
    keys[i] = key;
    handles[i] = handle;
  }

  /** Removes the smallest entry; read it first with `topPosition` / `topHandle`. */
  pop(): void {
    const { keys, handles } = this;
    const n = --this.size;
    if (n === 0) return;
    const lastKey = keys[n];
    const lastHandle = handles[n];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keys[child + 1] < keys[child]) child++;
      if (keys[child] >= lastKey) break;
      keys[i] = keys[child];
      handles[i] = handles[child];
      i = child;
    }
    keys[i] = lastKey;
    handles[i] = lastHandle;
  }

  topPosition(): number {
    return this.keys[0] % POSITION_LIMIT;
  }

  topHandle(): number {
    return this.handles[0];
  }
}

/** Scratch for `applyMerges`, reused across words (merging is synchronous): the linked list of symbols and the queue. */
let prev = new Int32Array(64);
let next = new Int32Array(64);
let removed = new Uint8Array(64);
const queue = new MergeQueue();

/** Merge `word` in place; returns how many symbols survive, which are then its first entries, left to right. */
export function applyMerges(word: WordSymbols, merges: MergeTable): number {
  const { ids, starts, ends } = word;
  const n = ids.length;
  if (n < 2) return n;
  if (prev.length < n) {
    prev = new Int32Array(n * 2);
    next = new Int32Array(n * 2);
    removed = new Uint8Array(n * 2);
  }
  queue.clear();
  for (let i = 0; i < n; i++) {
    prev[i] = i - 1;
    next[i] = i + 1 < n ? i + 1 : -1;
    removed[i] = 0;
  }
  const queuePair = (position: number, left: number, right: number): void => {
    const found = merges.find(left, right);
    if (found !== -1) queue.push(merges.rankAt(found), position, found);
  };
  for (let i = 0; i + 1 < n; i++) queuePair(i, ids[i], ids[i + 1]);

  while (queue.size > 0) {
    const position = queue.topPosition();
    const queued = queue.topHandle();
    queue.pop();
    if (removed[position] || next[position] === -1) continue;
    const right = next[position];
    const mergedId = merges.mergedIdAt(queued);
    // Rust checks the merged id only: an entry whose pair changed but still merges into the same token is
    // applied. A pair still as queued passes that check without a second lookup.
    if (ids[position] !== merges.leftAt(queued) || ids[right] !== merges.rightAt(queued)) {
      const current = merges.find(ids[position], ids[right]);
      if (current === -1 || merges.mergedIdAt(current) !== mergedId) continue;
    }

    ids[position] = mergedId;
    ends[position] = ends[right];
    next[position] = next[right];
    removed[right] = 1;
    if (next[right] !== -1) prev[next[right]] = position;

    if (prev[position] >= 0) queuePair(prev[position], ids[prev[position]], mergedId);
    if (next[position] !== -1) queuePair(position, mergedId, ids[next[position]]);
  }

  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (removed[i]) continue;
    ids[kept] = ids[i];
    starts[kept] = starts[i];
    ends[kept] = ends[i];
    kept++;
  }
  return kept;
}
