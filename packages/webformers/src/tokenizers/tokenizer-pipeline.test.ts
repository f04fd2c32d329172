/**
 * Loading fails early and says which part of tokenizer.json is wrong: every broken component gives a
 * TokenizerConfigError naming that component (checked on a copy of the BERT fixture with one part broken).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TokenizerPipeline } from './tokenizer-pipeline.js';
import { TokenizerConfigError, type Json } from './types.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'tokenizers', 'bert-base-uncased', 'tokenizer.json');
const bert = (): Json => JSON.parse(readFileSync(fixture, 'utf8')) as Json;

function loadError(json: unknown): TokenizerConfigError {
  try {
    TokenizerPipeline.fromJSON(json);
  } catch (err) {
    expect(err).toBeInstanceOf(TokenizerConfigError);
    return err as TokenizerConfigError;
  }
  throw new Error('expected TokenizerPipeline.fromJSON to fail');
}

const template = (): Json => bert().post_processor as Json;

const BROKEN: [string, string, (j: Json) => unknown][] = [
  ['a non-object root', 'root', () => 42],
  ['no model', 'model', (j) => ({ ...j, model: undefined })],
  ['an unknown model type', 'model', (j) => ({ ...j, model: { ...(j.model as Json), type: 'NoSuchModel' } })],
  ['an unknown normalizer type', 'normalizer', (j) => ({ ...j, normalizer: { type: 'NoSuchNormalizer' } })],
  ['an unknown pre-tokenizer type', 'pre_tokenizer', (j) => ({ ...j, pre_tokenizer: { type: 'NoSuchPreTokenizer' } })],
  ['an unknown decoder type', 'decoder', (j) => ({ ...j, decoder: { type: 'NoSuchDecoder' } })],
  ['an unknown post-processor type', 'post_processor', (j) => ({ ...j, post_processor: { type: 'NoSuchProcessor' } })],
  ['a template using a special token it does not define', 'post_processor', (j) => ({ ...j, post_processor: { ...template(), special_tokens: {} } })],
  ['a pair template without $B', 'post_processor', (j) => ({ ...j, post_processor: { ...template(), pair: '[CLS] $A [SEP]' } })],
  ['a template special token with more ids than tokens', 'post_processor', (j) => ({
    ...j,
    post_processor: { ...template(), special_tokens: { '[CLS]': { id: '[CLS]', ids: [101, 5], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [102], tokens: ['[SEP]'] } } },
  })],
  ['a BertProcessing without a [token, id] pair', 'post_processor', (j) => ({ ...j, post_processor: { type: 'BertProcessing', cls: '[CLS]', sep: ['[SEP]', 102] } })],
  ['a Sequence post-processor without a list', 'post_processor', (j) => ({ ...j, post_processor: { type: 'Sequence', processors: {} } })],
  ['added_tokens that is not a list', 'added_tokens', (j) => ({ ...j, added_tokens: { id: 0 } })],
  ['an added token without content', 'added_tokens', (j) => ({ ...j, added_tokens: [{ id: 0 }] })],
  ['an unknown truncation strategy', 'truncation', (j) => ({ ...j, truncation: { max_length: 8, strategy: 'Sideways' } })],
  ['an unknown padding strategy', 'padding', (j) => ({ ...j, padding: { strategy: 'Everything' } })],
];

describe('TokenizerPipeline.fromJSON rejects malformed tokenizer.json at load', () => {
  it('loads the intact fixture', () => {
    expect(() => TokenizerPipeline.fromJSON(bert())).not.toThrow();
  });
  for (const [what, component, breakIt] of BROKEN) {
    it(`names ${component} for ${what}`, () => {
      const err = loadError(breakIt(bert()));
      expect(err.component.startsWith(component)).toBe(true);
      expect(err.code).toBe('tokenizer_config');
      expect(err.hint).toBeTruthy();
    });
  }
});
