/** Sequence: the normalizers in order. */
import type { NormalizedString } from '../normalized-string.js';
import type { Normalizer } from '../types.js';

export class SequenceNormalizer implements Normalizer {
  constructor(readonly normalizers: readonly Normalizer[]) {}

  normalize(s: NormalizedString): void {
    for (const n of this.normalizers) n.normalize(s);
  }
}
