/** WordPiece: glues `##` continuations to the previous token, spaces the others, optionally cleans up. */
import type { Decoder } from '../types.js';

/** Rust's `wordpiece::cleanup`, in its order: spaces before punctuation and English contractions. */
const CLEANUP_REPLACEMENTS: readonly (readonly [string, string])[] = [
  [' .', '.'],
  [' ?', '?'],
  [' !', '!'],
  [' ,', ','],
  [" ' ", "'"],
  [" n't", "n't"],
  [" 'm", "'m"],
  [' do not', " don't"],
  [" 's", "'s"],
  [" 've", "'ve"],
  [" 're", "'re"],
];

export function cleanupTokenizationSpaces(text: string): string {
  let out = text;
  for (const [from, to] of CLEANUP_REPLACEMENTS) out = out.replaceAll(from, to);
  return out;
}

export class WordPieceDecoder implements Decoder {
  constructor(
    private readonly prefix: string,
    private readonly cleanup: boolean,
  ) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((token, i) => {
      let out = token;
      if (i !== 0) out = token.startsWith(this.prefix) ? token.replace(this.prefix, '') : ` ${token}`;
      return this.cleanup ? cleanupTokenizationSpaces(out) : out;
    });
  }
}
