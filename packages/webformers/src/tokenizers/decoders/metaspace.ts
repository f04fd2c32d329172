/**
 * Metaspace: the replacement character (▁) becomes a space, except in the first token, where every
 * one is dropped unless `prepend_scheme` is "never" (Rust drops them all there, not only the first).
 */
import type { Decoder } from '../types.js';

export type PrependScheme = 'always' | 'first' | 'never';

export class MetaspaceDecoder implements Decoder {
  constructor(
    private readonly replacement: string,
    private readonly prependScheme: PrependScheme,
  ) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((token, i) =>
      token.replaceAll(this.replacement, i === 0 && this.prependScheme !== 'never' ? '' : ' '),
    );
  }
}
