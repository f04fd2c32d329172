import type { TokenRows } from '../types.js';
import { banTokens } from './ban-tokens.js';
import type { LogitsProcessor } from './types.js';

/** Bans the given tokens only at the step whose input is `beginIndex` ids long (the first generated token). */
export class SuppressTokensAtBeginLogitsProcessor implements LogitsProcessor {
  constructor(readonly beginSuppressTokens: readonly number[], readonly beginIndex: number) {}

  apply(inputIds: TokenRows, scores: Float32Array[]): void {
    if ((inputIds[0]?.length ?? 0) === this.beginIndex) banTokens(scores, this.beginSuppressTokens);
  }
}
