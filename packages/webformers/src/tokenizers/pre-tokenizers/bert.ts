/** BertPreTokenizer: drop whitespace, then isolate every punctuation character. */
import { CharPredicatePattern } from '../pattern.js';
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import type { PreTokenizer } from '../types.js';
import { isBertPunctuation, isWhitespace } from '../unicode-props.js';

const whitespace = new CharPredicatePattern(isWhitespace);
const punctuation = new CharPredicatePattern(isBertPunctuation);

export class BertPreTokenizer implements PreTokenizer {
  preTokenize(p: PreTokenizedString): void {
    p.split((_, piece) => piece.split(whitespace, 'removed'));
    p.split((_, piece) => piece.split(punctuation, 'isolated'));
  }
}
