import { InvalidArgumentError } from '../../utils/errors.js';
import { argsort, cumsumF32, softmax } from '../math.js';
import type { TokenRows } from '../types.js';
import type { LogitsProcessor } from './types.js';

/**
 * Locally typical sampling: rank tokens by how far their surprisal is from the distribution's
 * entropy and keep the closest ones until their mass reaches `mass`.
 */
export class TypicalLogitsWarper implements LogitsProcessor {
  constructor(readonly mass: number, readonly minTokensToKeep = 1) {
    if (!(mass > 0 && mass < 1)) {
      throw new InvalidArgumentError(`typical_p must be in (0, 1), got ${mass}.`, { hint: 'Use typical_p: 1 to turn it off.' });
    }
  }

  apply(_inputIds: TokenRows, scores: Float32Array[]): void {
    for (const row of scores) {
      const probs = softmax(row);
      const logProbs = Array.from(probs, (p) => Math.log(p));
      let entropy = 0;
      // Python's nansum: -inf scores give 0 * -inf = NaN terms, which are skipped.
      probs.forEach((p, i) => { if (p > 0) entropy -= logProbs[i] * p; });
      const distance = logProbs.map((lp) => Math.abs(-lp - entropy));
      const order = argsort(distance, false);
      const cumulative = cumsumF32(softmax(order.map((i) => row[i])));
      let lastIndex = 0;
      for (const c of cumulative) if (c < this.mass) lastIndex++;
      lastIndex = Math.min(lastIndex, order.length - 1);
      const cutoff = distance[order[lastIndex]];
      for (let rank = this.minTokensToKeep; rank < order.length; rank++) {
        if (distance[order[rank]] > cutoff) row[order[rank]] = -Infinity;
      }
    }
  }
}
