/** WordLevel: each pre-tokenized word is looked up whole; anything else is the unk token. */
import type { Json, Token } from '../types.js';
import { readString, readVocabMap } from './config-fields.js';
import { missingUnkError } from './missing-unk.js';
import { VocabularyModel } from './vocab-model.js';

export class WordLevelModel extends VocabularyModel {
  constructor(
    vocab: Map<string, number>,
    private readonly unkToken: string,
  ) {
    super(vocab);
  }

  static fromConfig(json: Json, component = 'model'): WordLevelModel {
    return new WordLevelModel(readVocabMap(json, 'vocab', component), readString(json, 'unk_token', component, '<unk>'));
  }

  tokenize(sequence: string): Token[] {
    const id = this.vocab.get(sequence);
    if (id !== undefined) return [{ id, value: sequence, offsets: [0, sequence.length] }];
    const unkId = this.vocab.get(this.unkToken);
    if (unkId === undefined) throw missingUnkError('WordLevel', 'unk_token', this.unkToken);
    return [{ id: unkId, value: this.unkToken, offsets: [0, sequence.length] }];
  }
}
