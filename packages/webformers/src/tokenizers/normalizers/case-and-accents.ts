/** Lowercase and StripAccents: one-line normalizers over NormalizedString operations. */
import type { NormalizedString } from '../normalized-string.js';
import type { Normalizer } from '../types.js';
import { isMarkNonspacing } from '../unicode-props.js';

export class LowercaseNormalizer implements Normalizer {
  normalize(s: NormalizedString): void {
    s.lowercase();
  }
}

/** Drops nonspacing marks; Rust does not decompose first, so it is usually preceded by NFD / NFKD. */
export class StripAccentsNormalizer implements Normalizer {
  normalize(s: NormalizedString): void {
    s.filter((cp) => !isMarkNonspacing(cp));
  }
}
