/** NFC / NFD / NFKC / NFKD normalizers (alignments as Rust computes them, see unicode-normalize.ts). */
import type { NormalizedString } from '../normalized-string.js';
import type { Normalizer } from '../types.js';
import type { NormalizationForm } from '../unicode-normalize.js';

export class UnicodeFormNormalizer implements Normalizer {
  constructor(readonly form: NormalizationForm) {}

  normalize(s: NormalizedString): void {
    s.normalizeUnicode(this.form);
  }
}
