/** ByteLevel as a normalizer: the whole text becomes GPT-2 byte characters, no splitting. */
import { toByteLevelChars } from '../byte-level-transform.js';
import type { NormalizedString } from '../normalized-string.js';
import type { Normalizer } from '../types.js';

export class ByteLevelNormalizer implements Normalizer {
  normalize(s: NormalizedString): void {
    toByteLevelChars(s);
  }
}
