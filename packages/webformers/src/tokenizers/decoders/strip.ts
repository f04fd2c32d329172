/** Strip: removes up to `start` leading and `stop` trailing copies of one character from each token. */
import type { Decoder } from '../types.js';

export class StripDecoder implements Decoder {
  constructor(
    private readonly content: string,
    private readonly start: number,
    private readonly stop: number,
  ) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((token) => {
      const chars = [...token];
      let startCut = 0;
      while (startCut < Math.min(this.start, chars.length) && chars[startCut] === this.content) startCut++;
      // As in Rust, the trailing cut never reaches back into what the leading cut removed.
      let stopCut = chars.length;
      const stopLimit = Math.min(this.stop, chars.length - startCut);
      for (let i = 0; i < stopLimit && chars[stopCut - 1] === this.content; i++) stopCut--;
      return chars.slice(startCut, stopCut).join('');
    });
  }
}
