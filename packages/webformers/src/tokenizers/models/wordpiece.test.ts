/**
 * WordPiece against the bert-base-uncased goldens. A golden word starts at each token without the
 * `##` prefix; its text is the tokens glued back together, and the model must give back exactly
 * those tokens. A word the model could not split is a single [UNK] covering the whole word: its text
 * is taken from the original at the golden offsets, with BERT's lowercasing and accent stripping.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { goldenWords, loadTokenizerGoldens, manifest, type GoldenWord, type TokenizerGoldens } from '../../../test/support/tokenizer-goldens-node.js';
import type { AddedTokenConfig, Json } from '../types.js';
import { modelFromConfig } from './index.js';
import { WordPieceModel } from './wordpiece.js';

const bert = (await manifest()).find((e) => e.name === 'bert-base-uncased')!;

const bertBasicNormalize = (text: string) => text.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');

describe('WordPiece bert-base-uncased', () => {
  let goldens: TokenizerGoldens;
  let model: WordPieceModel;
  let words: { id: string; word: GoldenWord }[];

  beforeAll(async () => {
    goldens = await loadTokenizerGoldens(bert);
    model = WordPieceModel.fromConfig(goldens.tokenizerJson.model as Json);
    const added = new Map((goldens.tokenizerJson.added_tokens as AddedTokenConfig[]).map((t) => [t.id, t.content]));
    // [UNK] is both an added token and what the model gives for an unknown word; only literal text is the added token.
    const isAddedToken = (id: number, text: string) => added.get(id) === text;
    words = goldens.records.flatMap((r) => goldenWords(r, isAddedToken, (t) => !t.startsWith('##')).map((word) => ({ id: r.id, word })));
  });

  it('re-tokenizes every golden word of the 332 lines to its golden tokens and offsets', () => {
    const failures = words.filter(({ word }) => {
      const start = word.offsets[0][0];
      const text =
        word.tokens[0] === '[UNK]'
          ? bertBasicNormalize(word.input.slice(start, word.offsets[0][1]))
          : word.tokens.map((t, i) => (i === 0 ? t : t.slice(2))).join('');
      // Offsets are comparable where normalization only lowercased (nothing decomposed, stripped or removed).
      const original = word.input.slice(start, word.offsets[word.offsets.length - 1][1]);
      const comparable = original.length === text.length && original.toLowerCase() === text;
      const tokens = model.tokenize(text);
      const actual = tokens.map((t) => [t.id, t.value, comparable ? [t.offsets[0] + start, t.offsets[1] + start] : null]);
      const expected = word.ids.map((id, i) => [id, word.tokens[i], comparable ? word.offsets[i] : null]);
      return JSON.stringify(actual) !== JSON.stringify(expected);
    });
    expect(words.length).toBeGreaterThan(5000);
    expect(failures.map(({ id, word }) => `${id}: ${word.tokens.join(' ')}`)).toEqual([]);
  });

  it('gives [UNK] for a word over max_input_chars_per_word, counting code points', () => {
    const unkId = model.tokenToId('[UNK]');
    const longUnks = words.filter(({ word }) => word.tokens[0] === '[UNK]' && [...word.input.slice(...word.offsets[0])].length > 100);
    expect(longUnks.length).toBeGreaterThan(0);
    for (const { word } of longUnks) {
      expect(model.tokenize(bertBasicNormalize(word.input.slice(...word.offsets[0]))).map((t) => t.id)).toEqual([unkId]);
    }
  });
});

describe('WordPiece configuration errors', () => {
  it('names model.max_input_chars_per_word when it is not a count', () => {
    expect(() => modelFromConfig({ type: 'WordPiece', vocab: {}, max_input_chars_per_word: 'ten' })).toThrow(/model\.max_input_chars_per_word/);
  });
});
