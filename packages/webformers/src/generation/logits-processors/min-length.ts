import type { TokenRows } from '../types.js';
import { banTokens } from './ban-tokens.js';
import type { LogitsProcessor } from './types.js';

/** Bans EOS while the row (prompt included) is shorter than `minLength`. */
export class MinLengthLogitsProcessor implements LogitsProcessor {
  constructor(readonly minLength: number, readonly eosTokenIds: readonly number[]) {}

  apply(inputIds: TokenRows, scores: Float32Array[]): void {
    if ((inputIds[0]?.length ?? 0) < this.minLength) banTokens(scores, this.eosTokenIds);
  }
}
