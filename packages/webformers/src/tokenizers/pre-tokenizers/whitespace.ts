/**
 * Whitespace (runs of word characters, or runs of other non-space characters, as Rust's
 * `\w+|[^\w\s]+`) and WhitespaceSplit (split on whitespace, dropping it).
 */
import { CharPredicatePattern, InvertedPattern, RegexPattern } from '../pattern.js';
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import type { PreTokenizer } from '../types.js';
import { isWhitespace } from '../unicode-props.js';
import { WHITE_SPACE_CLASS_BODY } from '../onig-regex.js';

// Rust's regex crate: \w is Alphabetic, marks, decimal digits, connector punctuation and joiners.
const WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
const wordsOrSymbols = new InvertedPattern(new RegexPattern(new RegExp(`[${WORD}]+|[^${WORD}${WHITE_SPACE_CLASS_BODY}]+`, 'gu')));
const whitespace = new CharPredicatePattern(isWhitespace);

export class WhitespacePreTokenizer implements PreTokenizer {
  preTokenize(p: PreTokenizedString): void {
    p.split((_, piece) => piece.split(wordsOrSymbols, 'removed'));
  }
}

export class WhitespaceSplitPreTokenizer implements PreTokenizer {
  preTokenize(p: PreTokenizedString): void {
    p.split((_, piece) => piece.split(whitespace, 'removed'));
  }
}
