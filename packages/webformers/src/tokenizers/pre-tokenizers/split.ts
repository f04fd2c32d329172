/** Split: a string or regex pattern, any delimiter behavior, optionally inverted (the pattern marks what to keep). */
import type { SplitDelimiterBehavior } from '../normalized-string.js';
import { InvertedPattern, type Pattern } from '../pattern.js';
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import type { PreTokenizer } from '../types.js';

export class SplitPreTokenizer implements PreTokenizer {
  private readonly pattern: Pattern;

  constructor(
    pattern: Pattern,
    private readonly behavior: SplitDelimiterBehavior,
    invert: boolean,
  ) {
    this.pattern = invert ? new InvertedPattern(pattern) : pattern;
  }

  preTokenize(p: PreTokenizedString): void {
    p.split((_, piece) => piece.split(this.pattern, this.behavior));
  }
}
