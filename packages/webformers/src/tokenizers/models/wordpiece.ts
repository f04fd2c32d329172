/** WordPiece (BERT): greedy longest-match-first over each word, as Rust `tokenizers` does it. */
import type { Json, Token } from '../types.js';
import { readCount, readString, readVocabMap } from './config-fields.js';
import { missingUnkError } from './missing-unk.js';
import { NO_NODE, UnitTrie } from './unit-trie.js';
import { VocabularyModel } from './vocab-model.js';
import { WordCache } from './word-cache.js';

export class WordPieceModel extends VocabularyModel {
  /** The vocabulary as a trie: a word's longest matching piece in one walk, not one lookup per length. */
  private readonly trie: UnitTrie;
  /** Where pieces after the first start: the node of the continuing-subword prefix (NO_NODE when absent). */
  private readonly continuing: number;
  /** Per word: its pieces (words repeat, and each new piece of a word costs a string), handed out as they are. */
  private readonly cache = new WordCache<readonly Token[]>();

  constructor(
    vocab: Map<string, number>,
    private readonly unkToken: string,
    readonly continuingSubwordPrefix: string,
    /** Counted in Unicode code points, as Rust counts `chars()`. */
    private readonly maxInputCharsPerWord: number,
  ) {
    super(vocab);
    this.trie = new UnitTrie(vocab);
    this.continuing = this.trie.walk(continuingSubwordPrefix);
  }

  static fromConfig(json: Json, component = 'model'): WordPieceModel {
    return new WordPieceModel(
      readVocabMap(json, 'vocab', component),
      readString(json, 'unk_token', component, '[UNK]'),
      readString(json, 'continuing_subword_prefix', component, '##'),
      readCount(json, 'max_input_chars_per_word', component, 100),
    );
  }

  tokenize(sequence: string): readonly Token[] {
    let tokens = this.cache.get(sequence);
    if (tokens === undefined) {
      tokens = this.splitWord(sequence);
      this.cache.set(sequence, tokens);
    }
    return tokens;
  }

  private splitWord(sequence: string): Token[] {
    if (sequence.length > this.maxInputCharsPerWord && countCodePoints(sequence) > this.maxInputCharsPerWord) {
      return [this.unknownWord(sequence)];
    }
    const tokens: Token[] = [];
    let start = 0;
    while (start < sequence.length) {
      // Rust tries every end from the word's end down and keeps the first piece in the vocabulary: that is
      // the longest one, which a single walk down the trie finds. An end between the two units of a
      // surrogate pair is not a char boundary, so Rust never tries it.
      let node = start === 0 ? UnitTrie.ROOT : this.continuing;
      let end = -1;
      let id = -1;
      for (let i = start; i < sequence.length && node !== NO_NODE; i++) {
        node = this.trie.child(node, sequence.charCodeAt(i));
        if (node !== NO_NODE && this.trie.idAt(node) !== -1 && !splitsPair(sequence, i + 1)) {
          end = i + 1;
          id = this.trie.idAt(node);
        }
      }
      // One piece that matches nothing makes the whole word unknown.
      if (end === -1) return [this.unknownWord(sequence)];
      const piece = start === 0 && end === sequence.length ? sequence : sequence.slice(start, end);
      tokens.push({ id, value: start > 0 ? this.continuingSubwordPrefix + piece : piece, offsets: [start, end] });
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

function countCodePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (!splitsPair(text, i)) count++;
  return count;
}

/** Whether index `i` falls between the high and low unit of a surrogate pair. */
function splitsPair(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return false;
  const low = text.charCodeAt(i);
  const high = text.charCodeAt(i - 1);
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
}
