import { InvalidArgumentError } from '../../utils/errors.js';
import { argsort, softmax } from '../math.js';
import type { TokenRows } from '../types.js';
import type { LogitsProcessor } from './types.js';

/** Drops tokens whose probability is below `minP` times the most likely token's probability. */
export class MinPLogitsWarper implements LogitsProcessor {
  constructor(readonly minP: number, readonly minTokensToKeep = 1) {
    if (!(minP >= 0 && minP <= 1)) {
      throw new InvalidArgumentError(`min_p must be in [0, 1], got ${minP}.`, { hint: 'Typical values are 0.01 to 0.2.' });
    }
  }

  apply(_inputIds: TokenRows, scores: Float32Array[]): void {
    for (const row of scores) {
      const probs = softmax(row);
      let top = 0;
      for (const p of probs) if (p > top) top = p;
      const threshold = Math.fround(this.minP * top);
      const order = argsort(row, true);
      for (let rank = this.minTokensToKeep; rank < order.length; rank++) {
        if (probs[order[rank]] < threshold) row[order[rank]] = -Infinity;
      }
    }
  }
}
