/** WordPiece: glues `##` continuations to the previous token, spaces the others, optionally cleans up. */
import { cleanUpWordPieceTokenization } from '../clean-up-tokenization.js';
import type { Decoder } from '../types.js';

export class WordPieceDecoder implements Decoder {
  constructor(
    private readonly prefix: string,
    private readonly cleanup: boolean,
  ) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((token, i) => {
      let out = token;
      if (i !== 0) out = token.startsWith(this.prefix) ? token.replace(this.prefix, '') : ` ${token}`;
      return this.cleanup ? cleanUpWordPieceTokenization(out) : out;
    });
  }
}
