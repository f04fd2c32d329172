/** BertPreTokenizer: drop whitespace, then isolate every punctuation character. */
import type { NormalizedString } from '../normalized-string.js';
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import type { PreTokenizer } from '../types.js';
import { isBertPunctuation, isWhitespace } from '../unicode-props.js';

/**
 * Rust's two splits (whitespace removed, then punctuation isolated) in one scan: a whitespace character
 * ends the current piece and is dropped, a punctuation character ends it and becomes a piece of its own.
 * The pieces, and so the offsets and word indices, are the ones the two passes make.
 */
function splitWords(piece: NormalizedString): NormalizedString[] {
  const text = piece.normalized;
  const out: NormalizedString[] = [];
  let start = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const next = i + (cp > 0xffff ? 2 : 1);
    if (isWhitespace(cp)) {
      if (start < i) out.push(piece.slice(start, i));
      start = next;
    } else if (isBertPunctuation(cp)) {
      if (start < i) out.push(piece.slice(start, i));
      out.push(piece.slice(i, next));
      start = next;
    }
    i = next;
  }
  if (start < text.length) out.push(piece.slice(start, text.length));
  return out;
}

export class BertPreTokenizer implements PreTokenizer {
  preTokenize(p: PreTokenizedString): void {
    p.split((_, piece) => splitWords(piece));
  }
}
