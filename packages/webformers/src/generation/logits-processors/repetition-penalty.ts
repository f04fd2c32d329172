import { InvalidArgumentError } from '../../utils/errors.js';
import type { TokenRows } from '../types.js';
import type { LogitsProcessor } from './types.js';

/**
 * CTRL-style penalty on every token already in the row (prompt included): positive scores are
 * divided by the penalty and negative ones multiplied, so a repeated token always loses ground.
 * Each distinct token is penalised once however often it occurs, as Python's gather/scatter does.
 */
export class RepetitionPenaltyLogitsProcessor implements LogitsProcessor {
  constructor(readonly penalty: number) {
    if (!(penalty > 0)) {
      throw new InvalidArgumentError(`repetition_penalty must be > 0, got ${penalty}.`, { hint: 'Use 1.0 for no penalty, > 1 to discourage repeats.' });
    }
  }

  apply(inputIds: TokenRows, scores: Float32Array[]): void {
    scores.forEach((row, r) => {
      for (const id of new Set(inputIds[r])) {
        const score = row[id];
        row[id] = score < 0 ? score * this.penalty : score / this.penalty;
      }
    });
  }
}
