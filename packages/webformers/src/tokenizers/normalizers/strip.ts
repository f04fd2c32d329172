/** Strip: remove leading and/or trailing whitespace. */
import type { NormalizedString } from '../normalized-string.js';
import type { Normalizer } from '../types.js';

export class StripNormalizer implements Normalizer {
  constructor(
    private readonly left: boolean,
    private readonly right: boolean,
  ) {}

  normalize(s: NormalizedString): void {
    s.strip(this.left, this.right);
  }
}
