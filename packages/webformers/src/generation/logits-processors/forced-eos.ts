import type { TokenRows } from '../types.js';
import { forceTokens } from './ban-tokens.js';
import type { LogitsProcessor } from './types.js';

/** Forces EOS as the last token when the next one reaches `maxLength` (BART's `forced_eos_token_id`). */
export class ForcedEOSTokenLogitsProcessor implements LogitsProcessor {
  constructor(readonly maxLength: number, readonly eosTokenIds: readonly number[]) {}

  apply(inputIds: TokenRows, scores: Float32Array[]): void {
    if ((inputIds[0]?.length ?? 0) === this.maxLength - 1) forceTokens(scores, this.eosTokenIds);
  }
}
