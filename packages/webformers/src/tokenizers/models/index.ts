/** Builds the tokenizer.json `model` component. */
import { TokenizerConfigError, type Json, type TokenizerModel } from '../types.js';
import { BpeModel } from './bpe.js';
import { readObject } from './config-fields.js';
import { UnigramModel } from './unigram.js';
import { WordLevelModel } from './wordlevel.js';
import { WordPieceModel } from './wordpiece.js';

export { BpeModel } from './bpe.js';
export { UnigramModel } from './unigram.js';
export { WordLevelModel } from './wordlevel.js';
export { WordPieceModel } from './wordpiece.js';

const MODEL_FACTORIES: Record<string, (json: Json, component: string) => TokenizerModel> = {
  BPE: (json, component) => BpeModel.fromConfig(json, component),
  WordPiece: (json, component) => WordPieceModel.fromConfig(json, component),
  Unigram: (json, component) => UnigramModel.fromConfig(json, component),
  WordLevel: (json, component) => WordLevelModel.fromConfig(json, component),
};

export function modelFromConfig(json: Json, component = 'model'): TokenizerModel {
  const config = readObject(json, component);
  const type = config.type;
  const factory = typeof type === 'string' && Object.hasOwn(MODEL_FACTORIES, type) ? MODEL_FACTORIES[type] : undefined;
  if (factory === undefined) {
    throw new TokenizerConfigError(`${component}.type`, `unknown model type ${JSON.stringify(type)}; supported: ${Object.keys(MODEL_FACTORIES).join(', ')}`);
  }
  return factory(config, component);
}
