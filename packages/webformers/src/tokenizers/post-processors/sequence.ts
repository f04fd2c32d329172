/** Sequence post-processor: run processors one after the other on the list of encodings (Rust `processors::Sequence`). */
import type { EncodingData } from '../types.js';
import { EncodingsProcessor } from './encodings-processor.js';

export class SequenceProcessor extends EncodingsProcessor {
  constructor(private readonly processors: EncodingsProcessor[]) {
    super();
  }

  addedTokens(isPair: boolean): number {
    return this.processors.reduce((n, p) => n + p.addedTokens(isPair), 0);
  }

  processEncodings(encodings: EncodingData[], addSpecialTokens: boolean): EncodingData[] {
    return this.processors.reduce((list, p) => p.processEncodings(list, addSpecialTokens), encodings);
  }
}
