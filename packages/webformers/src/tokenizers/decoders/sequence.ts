/** Sequence: each decoder's output tokens are the next one's input. */
import type { Decoder } from '../types.js';

export class SequenceDecoder implements Decoder {
  constructor(private readonly decoders: readonly Decoder[]) {}

  decodeChain(tokens: string[]): string[] {
    return this.decoders.reduce((current, decoder) => decoder.decodeChain(current), tokens);
  }
}
