/** WordPiece (BERT): greedy longest-match-first over each word, as Rust `tokenizers` does it. */
import type { Json, Token } from '../types.js';
import { readCount, readString, readVocabMap } from './config-fields.js';
import { missingUnkError } from './missing-unk.js';
import { PieceTrie } from './piece-trie.js';
import { VocabularyModel } from './vocab-model.js';

export class WordPieceModel extends VocabularyModel {
  /** Every token: what a word's first piece is looked up in. */
  private readonly wordStarts = new PieceTrie();
  /** Tokens that start with the continuing-subword prefix, without it: what later pieces are looked up in. */
  private readonly continuations = new PieceTrie();

  constructor(
    vocab: Map<string, number>,
    private readonly unkToken: string,
    private readonly continuingSubwordPrefix: string,
    /** Counted in Unicode code points, as Rust counts `chars()`. */
    private readonly maxInputCharsPerWord: number,
  ) {
    super(vocab);
    // Rust tries pieces from the longest down and looks each up in the vocabulary; the longest prefix
    // found in a trie is the same piece without building and hashing every shorter candidate string.
    for (const [token, id] of vocab) {
      this.wordStarts.insert(token, id);
      if (token.startsWith(continuingSubwordPrefix)) this.continuations.insert(token.slice(continuingSubwordPrefix.length), id);
    }
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
    let codePoints = 0;
    for (const _ of sequence) {
      if (++codePoints > this.maxInputCharsPerWord) return [this.unknownWord(sequence)];
    }
    const tokens: Token[] = [];
    for (let start = 0; start < sequence.length; ) {
      const found = (start === 0 ? this.wordStarts : this.continuations).longestPrefix(sequence, start);
      // One piece that matches nothing makes the whole word unknown.
      if (found === null) return [this.unknownWord(sequence)];
      const piece = sequence.slice(start, found.end);
      tokens.push({ id: found.id, value: start > 0 ? this.continuingSubwordPrefix + piece : piece, offsets: [start, found.end] });
      start = found.end;
    }
    return tokens;
  }

  private unknownWord(sequence: string): Token {
    const id = this.vocab.get(this.unkToken);
    if (id === undefined) throw missingUnkError('WordPiece', 'unk_token', this.unkToken);
    return { id, value: this.unkToken, offsets: [0, sequence.length] };
  }
}
