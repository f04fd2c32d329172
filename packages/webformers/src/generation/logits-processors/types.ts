import type { TokenRows } from '../types.js';

/**
 * One stage of Python's `LogitsProcessorList`. `inputIds` holds every row's ids so far (prompt
 * included, as Python passes them); `scores` holds one row of next-token scores per sequence and is
 * changed in place. Banned tokens become -Infinity.
 */
export interface LogitsProcessor {
  apply(inputIds: TokenRows, scores: Float32Array[]): void;
}
