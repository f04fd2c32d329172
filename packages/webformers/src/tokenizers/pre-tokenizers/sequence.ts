/** Sequence: the pre-tokenizers in order. */
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import type { PreTokenizer } from '../types.js';

export class SequencePreTokenizer implements PreTokenizer {
  constructor(readonly preTokenizers: readonly PreTokenizer[]) {}

  preTokenize(p: PreTokenizedString): void {
    for (const t of this.preTokenizers) t.preTokenize(p);
  }
}
