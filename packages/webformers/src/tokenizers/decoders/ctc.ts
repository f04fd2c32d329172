/**
 * CTC (speech models): repeated tokens collapse to one, the pad token disappears, and with cleanup
 * the word delimiter becomes a space. Empty results are dropped.
 */
import type { Decoder } from '../types.js';
import { cleanUpWordPieceTokenization } from '../clean-up-tokenization.js';

export class CtcDecoder implements Decoder {
  constructor(
    private readonly padToken: string,
    private readonly wordDelimiterToken: string,
    private readonly cleanup: boolean,
  ) {}

  decodeChain(tokens: string[]): string[] {
    const out: string[] = [];
    tokens.forEach((token, i) => {
      if (i > 0 && token === tokens[i - 1]) return;
      let text = token.replaceAll(this.padToken, '');
      // Rust replaces the delimiter only when cleaning up; without cleanup a '|' stays as written.
      if (this.cleanup) text = cleanUpWordPieceTokenization(text).replaceAll(this.wordDelimiterToken, ' ');
      if (text.length > 0) out.push(text);
    });
    return out;
  }
}
