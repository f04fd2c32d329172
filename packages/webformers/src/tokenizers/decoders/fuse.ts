/** Fuse: all tokens become one string, so later decoders in a sequence see a single token. */
import type { Decoder } from '../types.js';

export class FuseDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    return [tokens.join('')];
  }
}
