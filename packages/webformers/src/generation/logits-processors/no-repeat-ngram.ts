import { InvalidArgumentError } from '../../utils/errors.js';
import type { TokenRows } from '../types.js';
import type { LogitsProcessor } from './types.js';

/**
 * Bans any token that would complete an n-gram already present in the row (prompt included). Like
 * Python, nothing is banned until the row is at least n - 1 tokens long.
 */
export class NoRepeatNGramLogitsProcessor implements LogitsProcessor {
  constructor(readonly ngramSize: number) {
    if (!Number.isInteger(ngramSize) || ngramSize <= 0) {
      throw new InvalidArgumentError(`no_repeat_ngram_size must be a positive integer, got ${ngramSize}.`, { hint: 'Use 0 in the generation options to turn the check off.' });
    }
  }

  apply(inputIds: TokenRows, scores: Float32Array[]): void {
    scores.forEach((row, r) => {
      for (const id of bannedNgramTokens(inputIds[r], this.ngramSize)) row[id] = -Infinity;
    });
  }
}

/** Tokens that followed the current (n-1)-token suffix somewhere earlier in `ids`. */
export function bannedNgramTokens(ids: readonly number[], n: number): number[] {
  const len = ids.length;
  if (len + 1 < n) return [];
  const prefixStart = len - (n - 1);
  const banned: number[] = [];
  for (let start = 0; start + n <= len; start++) {
    let matches = true;
    for (let k = 0; k < n - 1 && matches; k++) matches = ids[start + k] === ids[prefixStart + k];
    if (matches) banned.push(ids[start + n - 1]);
  }
  return banned;
}
