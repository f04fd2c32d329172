import { InvalidArgumentError } from '../../utils/errors.js';
import type { TokenRows } from '../types.js';
import type { LogitsProcessor } from './types.js';

/**
 * Keeps the `topK` highest scores. As in Python the cut is "below the k-th largest value", so
 * tokens tied with the k-th survive too.
 */
export class TopKLogitsWarper implements LogitsProcessor {
  constructor(readonly topK: number, readonly minTokensToKeep = 1) {
    if (!Number.isInteger(topK) || topK <= 0) {
      throw new InvalidArgumentError(`top_k must be a positive integer, got ${topK}.`, { hint: 'Use top_k: 0 in the generation options to turn it off.' });
    }
  }

  apply(_inputIds: TokenRows, scores: Float32Array[]): void {
    for (const row of scores) {
      const k = Math.min(Math.max(this.topK, this.minTokensToKeep), row.length);
      const threshold = kthLargest(row, k);
      for (let i = 0; i < row.length; i++) if (row[i] < threshold) row[i] = -Infinity;
    }
  }
}

function kthLargest(values: Float32Array, k: number): number {
  return Float32Array.from(values).sort()[values.length - k];
}
