import { InvalidArgumentError } from '../../utils/errors.js';
import { argsort, cumsumF32, softmax } from '../math.js';
import type { TokenRows } from '../types.js';
import type { LogitsProcessor } from './types.js';

/**
 * Nucleus filtering as Python does it: sort ascending, drop the low tail whose cumulative probability
 * stays <= 1 - top_p, always keeping the `minTokensToKeep` best.
 */
export class TopPLogitsWarper implements LogitsProcessor {
  constructor(readonly topP: number, readonly minTokensToKeep = 1) {
    if (!(topP >= 0 && topP <= 1)) {
      throw new InvalidArgumentError(`top_p must be in [0, 1], got ${topP}.`, { hint: 'Use top_p: 1 to turn nucleus filtering off.' });
    }
  }

  apply(_inputIds: TokenRows, scores: Float32Array[]): void {
    const tailMass = Math.fround(1 - this.topP);
    for (const row of scores) {
      const order = argsort(row, false);
      const cumulative = cumsumF32(softmax(order.map((i) => row[i])));
      const keepFrom = order.length - this.minTokensToKeep;
      for (let rank = 0; rank < keepFrom; rank++) {
        if (cumulative[rank] <= tailMass) row[order[rank]] = -Infinity;
      }
    }
  }
}
