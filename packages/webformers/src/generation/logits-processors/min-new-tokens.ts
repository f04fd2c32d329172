import type { TokenRows } from '../types.js';
import { banTokens } from './ban-tokens.js';
import type { LogitsProcessor } from './types.js';

/** Bans EOS until `minNewTokens` tokens have been added after the first `promptLength` ids. */
export class MinNewTokensLengthLogitsProcessor implements LogitsProcessor {
  constructor(readonly promptLength: number, readonly minNewTokens: number, readonly eosTokenIds: readonly number[]) {}

  apply(inputIds: TokenRows, scores: Float32Array[]): void {
    if ((inputIds[0]?.length ?? 0) - this.promptLength < this.minNewTokens) banTokens(scores, this.eosTokenIds);
  }
}
