/**
 * ByteLevel pre-tokenizer: optionally prefix a space, optionally split with GPT-2's regex, then
 * rewrite each piece as GPT-2 byte characters. `trim_offsets` belongs to the post-processor.
 */
import { toByteLevelChars } from '../byte-level-transform.js';
import type { NormalizedString } from '../normalized-string.js';
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import { gpt2SplitPattern } from '../split-scanners.js';
import type { PreTokenizer } from '../types.js';

export class ByteLevelPreTokenizer implements PreTokenizer {
  constructor(
    private readonly addPrefixSpace: boolean,
    private readonly useRegex: boolean,
  ) {}

  preTokenize(p: PreTokenizedString): void {
    if (this.useRegex) {
      p.split((_, piece) => {
        this.prefixSpace(piece);
        return piece.split(gpt2SplitPattern, 'isolated');
      });
      p.normalize(toByteLevelChars);
      return;
    }
    // Without the regex the pieces stay as they are (after a Split, thousands of them), so they are
    // edited in place rather than split into themselves.
    p.normalize((piece) => {
      this.prefixSpace(piece);
      toByteLevelChars(piece);
    });
  }

  /** Rust prefixes every piece that lacks a leading space, not only the first one. */
  private prefixSpace(piece: NormalizedString): void {
    if (this.addPrefixSpace && !piece.normalized.startsWith(' ')) piece.prepend(' ');
  }
}
