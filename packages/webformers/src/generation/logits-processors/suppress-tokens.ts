import type { TokenRows } from '../types.js';
import { banTokens } from './ban-tokens.js';
import type { LogitsProcessor } from './types.js';

/** Bans the given tokens at every step. */
export class SuppressTokensLogitsProcessor implements LogitsProcessor {
  constructor(readonly suppressTokens: readonly number[]) {}

  apply(_inputIds: TokenRows, scores: Float32Array[]): void {
    banTokens(scores, this.suppressTokens);
  }
}
