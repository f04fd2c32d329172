import type { TokenRows } from '../types.js';
import type { LogitsProcessor } from './types.js';

/**
 * Forbids token sequences: a one-token entry is always banned; for longer entries the last token is
 * banned when the row already ends with the rest. Entries equal to a single EOS id are dropped, as
 * Python does, so banning "words" never blocks the end of generation.
 */
export class NoBadWordsLogitsProcessor implements LogitsProcessor {
  private readonly sequences: number[][];

  constructor(badWordsIds: readonly (readonly number[])[], eosTokenIds: readonly number[]) {
    this.sequences = badWordsIds
      .filter((seq) => !(seq.length === 1 && eosTokenIds.includes(seq[0])))
      .map((seq) => [...seq]);
  }

  apply(inputIds: TokenRows, scores: Float32Array[]): void {
    scores.forEach((row, r) => {
      const ids = inputIds[r];
      for (const seq of this.sequences) {
        const prefix = seq.length - 1;
        if (prefix > ids.length) continue;
        let matches = true;
        for (let k = 0; k < prefix && matches; k++) matches = ids[ids.length - prefix + k] === seq[k];
        if (matches && seq[prefix] < row.length) row[seq[prefix]] = -Infinity;
      }
    });
  }
}
