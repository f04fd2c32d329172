/** WordPiece (BERT): greedy longest-match-first over each word, as Rust `tokenizers` does it. */
import type { Json, Token } from '../types.js';
import { readCount, readString, readVocabMap } from './config-fields.js';
import { missingUnkError } from './missing-unk.js';
import { VocabularyModel } from './vocab-model.js';
import { WordCache } from './word-cache.js';

export class WordPieceModel extends VocabularyModel {
  /** No vocabulary entry is longer (UTF-16 units), so no longer piece needs a lookup. */
  private readonly longestToken: number;
  /**
   * Words repeat heavily and a word's pieces depend on the word alone (Rust recomputes them; the result is
   * the same). Cached tokens are frozen because callers receive them, never copies.
   */
  private readonly cache = new WordCache<Token[]>();

  constructor(
    vocab: Map<string, number>,
    private readonly unkToken: string,
    private readonly continuingSubwordPrefix: string,
    /** Counted in Unicode code points, as Rust counts `chars()`. */
    private readonly maxInputCharsPerWord: number,
  ) {
    super(vocab);
    let longest = 0;
    for (const token of vocab.keys()) longest = Math.max(longest, token.length);
    this.longestToken = longest;
  }

  static fromConfig(json: Json, component = 'model'): WordPieceModel {
    return new WordPieceModel(
      readVocabMap(json, 'vocab', component),
      readString(json, 'unk_token', component, '[UNK]'),
      readString(json, 'continuing_subword_prefix', component, '##'),
      readCount(json, 'max_input_chars_per_word', component, 100),
    );
  }

  tokenize(sequence: string): Token[] {
    let tokens = this.cache.get(sequence);
    if (tokens === undefined) {
      tokens = this.splitWord(sequence);
      for (const token of tokens) Object.freeze(Object.freeze(token).offsets);
      this.cache.set(sequence, tokens);
    }
    return tokens.slice();
  }

  private splitWord(sequence: string): Token[] {
    let codePoints = 0;
    for (const _ of sequence) {
      if (++codePoints > this.maxInputCharsPerWord) return [this.unknownWord(sequence)];
    }
    const tokens: Token[] = [];
    let start = 0;
    while (start < sequence.length) {
      // Rust tries every end from the word's end down; ends whose piece is longer than any token cannot
      // match, so start at the longest that can (stepping off a split surrogate pair, never a char boundary).
      let end = Math.min(sequence.length, start + this.longestToken);
      if (end < sequence.length && isLowSurrogate(sequence.charCodeAt(end)) && isHighSurrogate(sequence.charCodeAt(end - 1))) end--;
      let found: Token | null = null;
      while (start < end) {
        const piece = start > 0 ? this.continuingSubwordPrefix + sequence.slice(start, end) : sequence.slice(start, end);
        const id = this.vocab.get(piece);
        if (id !== undefined) {
          found = { id, value: piece, offsets: [start, end] };
          break;
        }
        end -= end - 2 >= start && isLowSurrogate(sequence.charCodeAt(end - 1)) && isHighSurrogate(sequence.charCodeAt(end - 2)) ? 2 : 1;
      }
      // One piece that matches nothing makes the whole word unknown.
      if (found === null) return [this.unknownWord(sequence)];
      tokens.push(found);
      start = end;
    }
    return tokens;
  }

  private unknownWord(sequence: string): Token {
    const id = this.vocab.get(this.unkToken);
    if (id === undefined) throw missingUnkError('WordPiece', 'unk_token', this.unkToken);
    return { id, value: this.unkToken, offsets: [0, sequence.length] };
  }
}

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;
