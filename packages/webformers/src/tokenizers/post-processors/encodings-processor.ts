/**
 * The shape all post-processors share, as in Rust's `PostProcessor` trait: a processor transforms the list
 * of per-sequence encodings (`processEncodings`, which `Sequence` chains), and `process` wraps that with
 * the sequence numbering and the final merge.
 */
import { mergeEncodings, withSequenceId } from '../encoding.js';
import type { EncodingData, PostProcessor } from '../types.js';

export abstract class EncodingsProcessor implements PostProcessor {
  abstract addedTokens(isPair: boolean): number;
  abstract processEncodings(encodings: EncodingData[], addSpecialTokens: boolean): EncodingData[];

  process(first: EncodingData, pair: EncodingData | null, addSpecialTokens: boolean): EncodingData {
    const numbered = (pair ? [first, pair] : [first]).map((e, i) => withSequenceId(e, i));
    return mergeEncodings(this.processEncodings(numbered, addSpecialTokens));
  }
}
