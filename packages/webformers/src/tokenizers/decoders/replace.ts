/** Replace: every match of a pattern (a literal string or a regex) in each token becomes `content`. */
import type { Pattern } from '../pattern.js';
import type { Decoder } from '../types.js';

export class ReplaceDecoder implements Decoder {
  constructor(
    private readonly pattern: Pattern,
    private readonly content: string,
  ) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((token) =>
      this.pattern
        .findMatches(token)
        .map((piece) => (piece.isMatch ? this.content : token.slice(piece.start, piece.end)))
        .join(''),
    );
  }
}
