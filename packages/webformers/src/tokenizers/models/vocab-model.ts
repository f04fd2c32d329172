/** The vocabulary half every model shares: token ↔ id lookups over a token → id map. */
import type { Token, TokenizerModel } from '../types.js';
import { invertVocab } from './config-fields.js';

export abstract class VocabularyModel implements TokenizerModel {
  protected readonly vocab: Map<string, number>;
  protected readonly vocabR: string[];

  constructor(vocab: Map<string, number>) {
    this.vocab = vocab;
    this.vocabR = invertVocab(vocab);
  }

  abstract tokenize(sequence: string): readonly Token[];

  get vocabSize(): number {
    return this.vocab.size;
  }

  getVocab(): Map<string, number> {
    return new Map(this.vocab);
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.vocabR[id];
  }
}
