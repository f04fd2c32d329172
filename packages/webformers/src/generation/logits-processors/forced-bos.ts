import type { TokenRows } from '../types.js';
import { forceTokens } from './ban-tokens.js';
import type { LogitsProcessor } from './types.js';

/** Forces `bosTokenId` as the first generated token of a decoder that starts from one id (mBART-style). */
export class ForcedBOSTokenLogitsProcessor implements LogitsProcessor {
  constructor(readonly bosTokenId: number) {}

  apply(inputIds: TokenRows, scores: Float32Array[]): void {
    if ((inputIds[0]?.length ?? 0) === 1) forceTokens(scores, [this.bosTokenId]);
  }
}
