/** Replace (every match of a string or regex by `content`) and Prepend (a prefix on non-empty text). */
import type { NormalizedString } from '../normalized-string.js';
import type { Pattern } from '../pattern.js';
import type { Normalizer } from '../types.js';

export class ReplaceNormalizer implements Normalizer {
  constructor(
    private readonly pattern: Pattern,
    private readonly content: string,
  ) {}

  normalize(s: NormalizedString): void {
    s.replace(this.pattern, this.content);
  }
}

export class PrependNormalizer implements Normalizer {
  constructor(private readonly prefix: string) {}

  normalize(s: NormalizedString): void {
    s.prepend(this.prefix);
  }
}
