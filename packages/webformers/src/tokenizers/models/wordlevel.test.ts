/**
 * No golden tokenizer uses WordLevel, so it runs on bert-base-uncased's vocabulary: a word of the
 * vocabulary is one token with that vocabulary's id, anything else is [UNK].
 */
import { describe, expect, it } from 'vitest';
import { loadTokenizerGoldens, manifest } from '../../../test/support/tokenizer-goldens-node.js';
import type { Json } from '../types.js';
import { modelFromConfig } from './index.js';

const bert = await loadTokenizerGoldens((await manifest()).find((e) => e.name === 'bert-base-uncased')!);
const vocab = (bert.tokenizerJson.model as Json).vocab as Record<string, number>;

describe('WordLevel', () => {
  const model = modelFromConfig({ type: 'WordLevel', vocab, unk_token: '[UNK]' });

  it('maps a whole vocabulary word to its id, with offsets over the word', () => {
    expect(model.tokenize('the')).toEqual([{ id: vocab.the, value: 'the', offsets: [0, 3] }]);
  });

  it('maps a word outside the vocabulary to the unk token', () => {
    expect(model.tokenize('unaffable')).toEqual([{ id: vocab['[UNK]'], value: '[UNK]', offsets: [0, 9] }]);
  });

  it('fails with the model named when the unk token is not in the vocabulary', () => {
    const strict = modelFromConfig({ type: 'WordLevel', vocab: { a: 0 }, unk_token: '<unk>' });
    expect(() => strict.tokenize('b')).toThrow(/WordLevel/);
  });
});
