/** BPEDecoder: an end-of-word suffix (`</w>`) becomes a space, or nothing in the last token. */
import type { Decoder } from '../types.js';

export class BpeDecoder implements Decoder {
  constructor(private readonly suffix: string) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((token, i) => token.replaceAll(this.suffix, i === tokens.length - 1 ? '' : ' '));
  }
}
