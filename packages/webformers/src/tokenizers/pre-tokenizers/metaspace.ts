/**
 * Metaspace: spaces become the replacement character (usually "▁"), which is prepended per
 * `prepend_scheme` ("first" only for the piece that starts the input), and each piece is split
 * before every replacement character.
 */
import { StringPattern } from '../pattern.js';
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import type { PreTokenizer } from '../types.js';

export type PrependScheme = 'always' | 'first' | 'never';

const space = new StringPattern(' ');

export class MetaspacePreTokenizer implements PreTokenizer {
  private readonly replacementPattern: StringPattern;

  constructor(
    private readonly replacement: string,
    private readonly prependScheme: PrependScheme,
    private readonly splitOnReplacement: boolean,
  ) {
    this.replacementPattern = new StringPattern(replacement);
  }

  preTokenize(p: PreTokenizedString): void {
    p.split((_, piece) => {
      piece.replace(space, this.replacement);
      const prepend =
        this.prependScheme === 'always' || (this.prependScheme === 'first' && piece.originalStart === 0);
      if (prepend && !piece.normalized.startsWith(this.replacement)) piece.prepend(this.replacement);
      return this.splitOnReplacement ? piece.split(this.replacementPattern, 'merged_with_next') : [piece];
    });
  }
}
