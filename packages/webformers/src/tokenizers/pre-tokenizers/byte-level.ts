/**
 * ByteLevel pre-tokenizer: optionally prefix a space, optionally split with GPT-2's regex, then
 * rewrite each piece as GPT-2 byte characters. `trim_offsets` belongs to the post-processor.
 */
import { toByteLevelChars } from '../byte-level-transform.js';
import { onigToJsRegExp } from '../onig-regex.js';
import { RegexPattern } from '../pattern.js';
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import type { PreTokenizer } from '../types.js';

/** GPT-2's split regex, in the Oniguruma form Rust compiles. */
export const GPT2_SPLIT_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

const gpt2Pattern = new RegexPattern(onigToJsRegExp(GPT2_SPLIT_REGEX, 'pre_tokenizer ByteLevel'));

export class ByteLevelPreTokenizer implements PreTokenizer {
  constructor(
    private readonly addPrefixSpace: boolean,
    private readonly useRegex: boolean,
  ) {}

  preTokenize(p: PreTokenizedString): void {
    p.split((_, piece) => {
      // Rust prefixes every piece that lacks a leading space, not only the first one.
      if (this.addPrefixSpace && !piece.normalized.startsWith(' ')) piece.prepend(' ');
      return this.useRegex ? piece.split(gpt2Pattern, 'isolated') : [piece];
    });
    p.normalize(toByteLevelChars);
  }
}
