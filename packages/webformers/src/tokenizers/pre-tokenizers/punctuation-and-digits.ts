/** Punctuation (split on each punctuation character) and Digits (split digits off, one by one or in runs). */
import type { SplitDelimiterBehavior } from '../normalized-string.js';
import { CharPredicatePattern } from '../pattern.js';
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import type { PreTokenizer } from '../types.js';
import { isBertPunctuation, isNumeric } from '../unicode-props.js';

const punctuation = new CharPredicatePattern(isBertPunctuation);
const digits = new CharPredicatePattern(isNumeric);

export class PunctuationPreTokenizer implements PreTokenizer {
  constructor(private readonly behavior: SplitDelimiterBehavior) {}

  preTokenize(p: PreTokenizedString): void {
    p.split((_, piece) => piece.split(punctuation, this.behavior));
  }
}

export class DigitsPreTokenizer implements PreTokenizer {
  constructor(private readonly individualDigits: boolean) {}

  preTokenize(p: PreTokenizedString): void {
    p.split((_, piece) => piece.split(digits, this.individualDigits ? 'isolated' : 'contiguous'));
  }
}
