/** Sets the given token ids to -Infinity in every row (ids past the vocabulary are ignored, like an `isin` mask). */
export function banTokens(scores: Float32Array[], ids: readonly number[]): void {
  for (const row of scores) {
    for (const id of ids) if (id < row.length) row[id] = -Infinity;
  }
}

/** Leaves only `ids` possible: every other score -Infinity, the forced ones 0, as Python's forced-token processors. */
export function forceTokens(scores: Float32Array[], ids: readonly number[]): void {
  for (const row of scores) {
    row.fill(-Infinity);
    for (const id of ids) if (id < row.length) row[id] = 0;
  }
}
